using Bogus;
using Marketplace.Application.Common;
using Marketplace.Application.Concern;
using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using System.Data;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Credits;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.DemoWorld;

/// <summary>
/// The demo world's money: tier packages for this and next year in every LA, subscriptions for about 95%
/// of York's schools (its buy-back rate) and fewer elsewhere, allowance grants, some top-ups and spends
/// through the real ledger, Ofsted history, and the schools causing concern enrolled at gold through the
/// real rules (so their audit trail and emails exist as they would in production).
/// </summary>
internal sealed class SubscriptionSeeder(MarketplaceDbContext db, NewSubscription newSubscription, ConcernEnrolmentRule concern, CreditLedger ledger,
    TimeProvider clock, Faker f)
{
    private sealed record Prices(long Fee, long PerPupil, int Credits, int Discount, int Sessions, int Notice, int MaxTerm);

    private static readonly Dictionary<Tier, Prices> York = new()
    {
        [Tier.Bronze] = new(750_00, 3_00, 10, 0, 1, 90, 1),
        [Tier.Silver] = new(1_500_00, 6_00, 25, 1_000, 3, 90, 2),
        [Tier.Gold] = new(2_800_00, 9_00, 45, 2_000, 5, 90, 3),
    };

    public async Task SeedAsync(WorldBuilder world, CancellationToken ct)
    {
        var today = clock.Today();
        var year = Period.Containing(PeriodBasis.FinancialYear, today).Start.Year;
        foreach (var la in world.LocalAuthorities)
        {
            // Neighbours price a little differently from York.
            var factor = la.Code == DemoAccounts.YorkCode ? 1.0m : la.Code == DemoAccounts.NorthYorkshireCode ? 1.1m : 0.95m;
            foreach (var y in new[] { year - 1, year, year + 1 })
            {
                var uplift = factor * (y == year + 1 ? 1.03m : y == year - 1 ? 0.97m : 1m);
                foreach (var (tier, p) in York)
                {
                    db.TierPackages.Add(new TierPackage(f.Random.Guid(), la.Id, y, tier, new TierTerms(
                        (long)Math.Round(p.Fee * uplift / 100) * 100, (long)Math.Round(p.PerPupil * uplift), p.Credits, p.Discount, p.Sessions,
                        tier != Tier.Bronze, tier == Tier.Gold, tier == Tier.Gold, p.Notice, p.MaxTerm, tier == Tier.Gold ? 18 : 12)));
                }
            }
        }
        await db.SaveChangesAsync(ct);

        foreach (var school in world.Schools)
        {
            // Ofsted history: each school's current judgement, as the LA would have recorded it.
            db.OfstedInspections.Add(new OfstedInspection(f.Random.Guid(), school.Id, school.OfstedInspectionDate!.Value, school.OfstedGrade!.Value,
                OutcomeSource.Manual, null, UkClock.StartOf(school.OfstedInspectionDate.Value.AddDays(28))));
        }
        await db.SaveChangesAsync(ct);

        // Buy-back: York about 95% (65 of 68), North Yorkshire 70%, East Riding 60%; the demo buyer's school always subscribes.
        var subscribers = new HashSet<Guid> { world.BuyerSchool.Id };
        foreach (var la in world.LocalAuthorities)
        {
            var rate = la.Code == DemoAccounts.YorkCode ? 0.95m : la.Code == DemoAccounts.NorthYorkshireCode ? 0.7m : 0.6m;
            var own = world.Schools.Where(s => s.LocalAuthorityId == la.Id).ToList();
            var target = (int)Math.Round(own.Count * rate);
            foreach (var s in f.Random.Shuffle(own.Where(s => s != world.BuyerSchool)).Take(target - (own.Contains(world.BuyerSchool) ? 1 : 0)))
                subscribers.Add(s.Id);
        }

        var revenue = new Dictionary<Guid, Guid>();
        foreach (var school in world.Schools)
        {
            var la = world.LocalAuthorities.Single(l => l.Id == school.LocalAuthorityId);
            if (!subscribers.Contains(school.Id)) continue;
            var tier = school == world.BuyerSchool ? Tier.Silver : f.Random.WeightedRandom([Tier.Bronze, Tier.Silver, Tier.Gold], [0.3f, 0.45f, 0.25f]);
            var period = Period.Containing(la.BasisFor(school.Type), today);
            if (!revenue.TryGetValue(la.Id, out var revenueAccount))
                revenue[la.Id] = revenueAccount = await ledger.AccountAsync(LedgerAccountKind.LaRevenue, localAuthorityId: la.Id, ct: ct);

            await using (var tx = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct))
            {
                // Started early on the period's first morning, or just now when that morning has not come yet.
                var started = UkClock.StartOf(period.Start).AddHours(6);
                var now = clock.GetUtcNow();
                var sub = await newSubscription.StartAsync(school, la, new NewSubscription.Terms(tier, 1, Payer.School, null, 10_000, period.Start,
                    SubscriptionOrigin.SchoolChoice), Actor.System, ct, occurredAt: started < now ? started : now);
                await db.SaveChangesAsync(ct);
                await SeedUsageAsync(school, la, sub, revenueAccount, world, ct);
                await tx.CommitAsync(ct);
            }
        }

        // Schools causing concern are enrolled at gold by the same rule the live service applies.
        foreach (var school in world.Schools.Where(s => s.OfstedGrade is OfstedGrade.RequiresImprovement or OfstedGrade.Inadequate))
        {
            await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            await concern.ApplyAsync(school, Actor.System, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
    }

    /// <summary>A few top-ups and spends on LA services between the period start and today, dated as they happened.</summary>
    private async Task SeedUsageAsync(School school, LocalAuthority la, Subscription sub, Guid revenueAccount, WorldBuilder world, CancellationToken ct)
    {
        // A random stream of its own per school: how much usage a school has depends on how far into the
        // period "today" is, and must not shift the draws that decide the rest of the world (tiers, bookings).
        var r = new Randomizer(school.Urn);
        var today = clock.Today();
        var days = today.DayNumber - sub.StartsOn.DayNumber;
        if (days < 7) return;
        var team = world.Providers.Where(p => p.LocalAuthorityId == la.Id && p.Kind == ProviderKind.LaTradedService).Select(p => p.Id).ToHashSet();
        var offers = world.Offers.Where(o => o.IsListed && team.Contains(o.ProviderId)).Take(20).ToList();
        if (offers.Count == 0) return;
        var events = school == world.BuyerSchool ? 4 : r.Int(0, 3);
        var when = Enumerable.Range(0, events).Select(_ => sub.StartsOn.AddDays(r.Int(3, days - 1))).Order().ToList();
        foreach (var (day, i) in when.Select((d, i) => (d, i)))
        {
            var at = UkClock.StartOf(day).AddHours(10 + i);
            if (i == 1 || (school == world.BuyerSchool && i == 2))
            {
                var credits = r.Int(5, 20);
                var po = $"PO-{r.Int(10000, 99999)}";
                var grant = await ledger.GrantAsync(new CreditLedger.GrantRequest($"demo-purchase:{school.Id:N}:{i}", LedgerTransactionKind.Purchase, school.Id, la.Id,
                    CreditSource.Purchased, credits, day.AddMonths(12), la.CreditPricePence, $"Bought {credits} credits", po,
                    OccurredAt: at), ct);
                db.CreditPurchases.Add(new Domain.Credits.CreditPurchase(grant.TransactionId, school.Id, la.Id, credits, la.CreditPricePence,
                    po, day.AddMonths(12), null, at));
                await db.SaveChangesAsync(ct);
            }
            else
            {
                var offer = r.ListItem(offers);
                var spend = Math.Clamp(offer.CurrentVersion.PriceCredits, 1, 8);
                try
                {
                    await ledger.SpendAsync(new CreditLedger.SpendRequest($"demo-spend:{school.Id:N}:{i}", school.Id, spend, offer.Id, revenueAccount,
                        $"{offer.CurrentVersion.Title} ({spend} credits)", $"DEMO-{day:yyMMdd}", at), ct);
                }
                catch (InsufficientCreditsException) { } // a school with little allowance simply did not book
            }
        }
    }
}
