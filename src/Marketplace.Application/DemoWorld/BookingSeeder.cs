using Bogus;
using Marketplace.Application.Common;
using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Application.Features.Bookings;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Credits;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.DemoWorld;

/// <summary>
/// The demo world's bookings, through the same domain rules and ledger calls as the live service: the
/// demo buyer's school has a Challenge Partner visit from its included adviser sessions confirmed and an
/// English half day waiting for the provider; other York schools have a maths consultant day signed off,
/// Ebor support signed off (so Ebor's school earns credits, the Aspire model), a consultant day awaiting
/// sign-off and one in dispute for the commissioners; a York consultant is on leave next month.
/// </summary>
internal sealed class BookingSeeder(MarketplaceDbContext db, CreditLedger ledger, BookingSettlement settlement, TimeProvider clock, Faker f)
{
    private int _n;

    public async Task SeedAsync(WorldBuilder world, CancellationToken ct)
    {
        var today = clock.Today();
        var now = clock.GetUtcNow();
        var york = world.Schools.Where(s => s.LocalAuthorityId == world.York.Id && s != world.BuyerSchool && s.Id != world.Ebor.SchoolId).ToList();
        var consultant = world.DemoConsultant;
        var mathsDay = Listed(world, world.YorkProviderTeam, o => o.Title.StartsWith("Mathematics consultant day", StringComparison.Ordinal));
        var englishHalf = Listed(world, world.YorkProviderTeam, o => o.Title.StartsWith("English consultant half day", StringComparison.Ordinal));
        var challenge = Listed(world, world.YorkProviderTeam, o => o.Title == "York Challenge Partner visit");
        var sleDay = Listed(world, world.Ebor, o => o.Title.StartsWith("Specialist leader of education support day", StringComparison.Ordinal));
        var consultantDay = Listed(world, consultant, o => o.Unit == OfferUnit.Day);
        var mathsConsultant = world.YorkProviderTeam.Practitioners.First(p => p.Specialism.StartsWith("Mathematics", StringComparison.Ordinal));
        var englishConsultant = world.YorkProviderTeam.Practitioners.First(p => p.Specialism.StartsWith("English", StringComparison.Ordinal));
        var partner = world.YorkProviderTeam.Practitioners.First(p => p.Specialism == "York Challenge Partner");

        // A maths consultant day signed off at another York school (the demo buyer books its own in the walkthrough).
        if (mathsDay is not null)
            await BookAsync(york[3], mathsDay, 1, At(Past(today, 25)), mathsConsultant, Past(today, 15), Stage.SignedOff, "Year 4 fractions: lesson visits and planning with the maths lead", ct);

        // The demo buyer's school.
        if (challenge is not null)
            await BookAsync(world.BuyerSchool, challenge, 1, At(Past(today, 3)), partner, DemoTerms.AddTermDays(today, 15), Stage.Confirmed, "Autumn challenge visit before the governors' meeting", ct);
        if (englishHalf is not null)
        {
            // Requested yesterday, or just now when the school's subscription (and its allowance) only began today.
            var buyerLa = world.LocalAuthorities.Single(l => l.Id == world.BuyerSchool.LocalAuthorityId);
            var periodStart = UkClock.StartOf(Period.Containing(buyerLa.BasisFor(world.BuyerSchool.Type), today).Start);
            var requested = now.AddHours(-20) > periodStart.AddHours(6) ? now.AddHours(-20) : now;
            await BookAsync(world.BuyerSchool, englishHalf, 1, requested, englishConsultant, DemoTerms.AddTermDays(today, 20), Stage.Requested, "Reading fluency in key stage 1", ct);
        }

        // School-to-school support given and signed off: Ebor's hub school earns credits.
        var sle = world.Ebor.Practitioners.First(p => p.Specialism.StartsWith("Specialist leader", StringComparison.Ordinal));
        foreach (var (school, i) in york.Take(3).Select((s, i) => (s, i)))
            if (sleDay is not null)
                await BookAsync(school, sleDay, 1, At(Past(today, 30)), sle, Past(today, 10 + 3 * i), Stage.SignedOff, "Support for a new subject leader", ct);

        // An independent consultant: one day awaiting the school's sign-off, one disputed.
        if (consultantDay is not null)
        {
            await BookAsync(york[5], consultantDay, 1, At(Past(today, 12)), consultant.Practitioners[0], Past(today, 2), Stage.Delivered, "Mathematics audit", ct);
            await BookAsync(york[6], consultantDay, 1, At(Past(today, 14)), consultant.Practitioners[1], Past(today, 4), Stage.Disputed, "Work scrutiny across key stage 2", ct);
        }

        // A York consultant on leave next month.
        var leave = WorkingDays.Add(today, 25);
        db.PractitionerAbsences.Add(new PractitionerAbsence(f.Random.Guid(), mathsConsultant.Id, leave, leave.AddDays(4), "Annual leave", now));
        await db.SaveChangesAsync(ct);
    }

    private enum Stage { Requested, Confirmed, Delivered, Disputed, SignedOff }

    private static Offer? Listed(WorldBuilder world, Provider provider, Func<OfferVersion, bool> match) =>
        world.Offers.FirstOrDefault(o => o.ProviderId == provider.Id && o.IsListed && match(o.Versions.Single(v => v.Id == o.PublishedVersionId)));

    private static DateOnly Past(DateOnly today, int workingDays)
    {
        var d = today;
        while (workingDays > 0)
        {
            d = d.AddDays(-1);
            if (WorkingDays.IsWorkingDay(d)) workingDays--;
        }
        return d;
    }

    private static DateTimeOffset At(DateOnly day) => UkClock.StartOf(day).AddHours(10);

    private async Task TopUpAsync(School school, int credits, DateTimeOffset at, int n, CancellationToken ct)
    {
        var la = await db.LocalAuthorities.AsNoTracking().SingleAsync(l => l.Id == school.LocalAuthorityId, ct);
        var expires = UkClock.DateOf(at).AddMonths(12);
        var po = $"PO-DEMO{n:00}";
        var grant = await ledger.GrantAsync(new CreditLedger.GrantRequest($"demo-booking-top-up:{n}", LedgerTransactionKind.Purchase, school.Id, la.Id,
            CreditSource.Purchased, credits, expires, la.CreditPricePence, $"Bought {credits} credits", po, OccurredAt: at), ct);
        db.CreditPurchases.Add(new Domain.Credits.CreditPurchase(grant.TransactionId, school.Id, la.Id, credits, la.CreditPricePence, po, expires, null, at));
    }

    private async Task BookAsync(School school, Offer offer, int quantity, DateTimeOffset requestedAt, Practitioner practitioner, DateOnly date, Stage stage,
        string notes, CancellationToken ct)
    {
        var version = offer.Versions.Single(v => v.Id == offer.PublishedVersionId);
        var today = clock.Today();
        var sub = await db.Subscriptions.AsNoTracking()
            .Where(s => s.SchoolId == school.Id && s.Status == SubscriptionStatus.Active && s.StartsOn <= today && s.PeriodEnd >= today)
            .Select(s => new { s.Id, s.Tier, Sessions = db.TierPackages.Where(p => p.Id == s.PackageId).Select(p => p.AdviserSessions).Single() })
            .SingleOrDefaultAsync(ct);
        var price = version.CreditsFor(sub?.Tier);
        if (price is null) return;
        // The same payment rule as a real request: included sessions first, then credits (the demo world never pays in pounds).
        var sessionsLeft = version.UsesAdviserSessions && sub is { Sessions: > 0 } ? sub.Sessions : 0;
        var payment = BookingPaymentRule.Plan(quantity, price.Value, sessionsLeft, creditsAvailable: null, pencePerPoundUnit: 0, sub?.Id);
        var n = ++_n;
        var id = f.Random.Guid();
        var booking = new Booking(id, "BK-DEMO" + n.ToString("00"), school.Id, offer.Id, version.Id, offer.ProviderId, school.LocalAuthorityId, sub?.Tier,
            version.Unit, payment, [date], null, null, null, notes, null, requestedAt, $"demo:{n}", "demo");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Bookings.Add(booking);
        await db.SaveChangesAsync(ct);
        try
        {
            if (booking.TotalCredits > 0)
            {
                // The demo world's bookings are its fixtures (every state is on show): a school short of
                // credits for one bought what it lacked an hour before, as a school would.
                var balance = await ledger.LockWalletAsync(school.Id, ct);
                if (balance < booking.TotalCredits) await TopUpAsync(school, (int)(booking.TotalCredits - balance), requestedAt.AddHours(-1), n, ct);
                var hold = await ledger.HoldAccountAsync(id, ct);
                await ledger.SpendAsync(new CreditLedger.SpendRequest($"hold:{id:N}", school.Id, booking.TotalCredits, offer.Id, hold,
                    $"Held for {booking.Reference}: {version.Title}", booking.Reference, requestedAt), ct);
            }
        }
        catch (InsufficientCreditsException)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return; // a school without the credits simply did not book
        }
        if (stage != Stage.Requested)
        {
            booking.Confirm(practitioner.Id, [date], null, requestedAt.AddHours(26));
            db.BookingSlots.Add(new BookingSlot(practitioner.Id, date, booking.Id));
        }
        if (stage is Stage.Delivered or Stage.Disputed or Stage.SignedOff)
            booking.Deliver([date], quantity, version.Unit == OfferUnit.HalfDay ? 180 : 360, "Visit completed as agreed; written report sent to the headteacher.", null,
                UkClock.StartOf(date).AddHours(17));
        if (stage == Stage.Disputed)
            booking.Dispute("The report arrived late and did not cover the year 6 books we asked about.", null, UkClock.StartOf(date).AddDays(2).AddHours(9));
        if (stage == Stage.SignedOff)
            booking.SignOff(null, UkClock.StartOf(date).AddDays(1).AddHours(9), "Signed off by the school");
        await db.SaveChangesAsync(ct);
        if (stage == Stage.SignedOff)
            await settlement.SettleAsync(booking, booking.CapturedCredits, "signed off", ct);
        await tx.CommitAsync(ct);
    }
}
