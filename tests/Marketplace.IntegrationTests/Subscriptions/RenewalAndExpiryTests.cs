using System.Net;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Features.Subscriptions;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Credits;
using Marketplace.Domain.Subscriptions;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.Subscriptions;

/// <summary>The yearly cycle, driven by the daily Hangfire job with the app's clock moved: renewal window, answer, period end.</summary>
[Trait("Category", "DateSensitive")]
public class RenewalAndExpiryTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private async Task<(Domain.Organisations.School School, Subscription Sub)> InRenewalWindowAsync()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var sub = (await Fixture.ActiveSubscriptionAsync(school.Id))!;
        Fixture.SetToday(sub.PeriodEnd.AddDays(-30));
        await Fixture.RunDailyJobAsync();
        await Fixture.RunDailyJobAsync(); // a rerun sends nothing twice
        return (school, sub);
    }

    [Fact]
    public async Task The_renewal_window_sends_one_proposal_built_from_tier_and_usage()
    {
        var (school, sub) = await InRenewalWindowAsync();

        var proposals = await Fixture.DbAsync(db => db.RenewalProposals.Where(p => p.SchoolId == school.Id).ToListAsync());
        var proposal = Assert.Single(proposals);
        Assert.Equal(sub.PeriodEnd.AddDays(1), proposal.NextPeriodStart);
        var package = await Fixture.DbAsync(db => db.TierPackages.SingleAsync(p => p.LocalAuthorityId == sub.LocalAuthorityId
            && p.Year == sub.PeriodStart.Year + 1 && p.Tier == proposal.ProposedTier));
        Assert.Equal(package.FeeFor(school.PupilsOnRoll), proposal.ProposedFeePence);
        Assert.Equal(sub.CreditsIncluded, proposal.AllowanceThisPeriod);
        Assert.Contains(proposal.CreditsUsedThisPeriod.ToString(), proposal.Rationale);
        var mails = await Fixture.DbAsync(db => db.OutboxMessages.Where(m => m.DedupeKey.StartsWith("renewal-proposal:")).ToListAsync());
        Assert.Contains(mails, m => m.ToAddress == DemoAccounts.YorkBuyer);
        Assert.Equal(mails.Count, mails.Select(m => m.ToAddress).Distinct().Count());
    }

    [Fact]
    public async Task The_renewal_proposal_counts_as_used_only_the_credits_a_booking_captured_not_those_it_held_and_gave_back()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var sub = (await Fixture.ActiveSubscriptionAsync(school.Id))!;
        var before = await Fixture.DbAsync(db => CreditsUsed.InPeriodAsync(db, school.Id, sub.Period, CancellationToken.None));
        var (offer, silver, practitioner, _) = await Fixture.YorkTeamDayAsync();
        // Book, deliver and sign off inside this period, before its renewal window: start 60 days before
        // its end, whatever day the run is pinned to (on 31 March a booking three working days ahead would
        // fall in the next period).
        Fixture.SetToday(sub.PeriodEnd.AddDays(-60));
        var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var date = Fixture.WorkingDay(3);

        // Held, then cancelled by the school: the credits go back.
        var cancelled = (await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer, quantity = 1 })).GetProperty("id").GetGuid();
        await (await buyer.PostJsonAsync($"/api/v1/bookings/{cancelled}/cancel", new { reason = "Timetable clash" })).JsonAsync(HttpStatusCode.OK);
        // Held, then declined by the provider: the credits go back.
        var declined = (await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer, quantity = 1 })).GetProperty("id").GetGuid();
        await (await provider.PostJsonAsync($"/api/v1/bookings/{declined}/decline", new { reason = "No one free that week" })).JsonAsync(HttpStatusCode.OK);
        // Held, delivered and signed off: the credits are captured, so used.
        var delivered = (await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer, quantity = 1 })).GetProperty("id").GetGuid();
        await BookingApi.ConfirmAsync(provider, delivered, practitioner, date);
        Fixture.SetToday(date.AddDays(1));
        (buyer, provider) = (await Fixture.ClientFor(DemoAccounts.YorkBuyer), await Fixture.ClientFor(DemoAccounts.YorkProviderTeam));
        await (await provider.PostJsonAsync($"/api/v1/bookings/{delivered}/deliver",
            new { dates = new[] { date.ToString("yyyy-MM-dd") }, quantity = 1, minutes = 360, note = "Maths lesson visits and feedback" })).JsonAsync(HttpStatusCode.OK);
        await (await buyer.PostJsonAsync($"/api/v1/bookings/{delivered}/sign-off")).JsonAsync(HttpStatusCode.OK);

        Fixture.SetToday(sub.PeriodEnd.AddDays(-30));
        await Fixture.RunDailyJobAsync();

        var proposal = await Fixture.DbAsync(db => db.RenewalProposals.SingleAsync(p => p.SchoolId == school.Id));
        Assert.Equal(before + silver, proposal.CreditsUsedThisPeriod); // three bookings held credits; one was captured
        Assert.Contains($"used {before + silver} ", proposal.Rationale);
    }

    [Fact]
    public async Task A_confirmed_renewal_at_another_tier_starts_next_period_once_and_unused_allowance_expires_once()
    {
        var (school, sub) = await InRenewalWindowAsync();
        var requester = await Fixture.ClientFor(DemoAccounts.YorkRequester);
        await (await requester.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/renewal/confirm", new { tier = "gold" })).ProblemAsync(HttpStatusCode.Forbidden);
        var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);

        var view = await (await buyer.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/renewal/confirm", new { tier = "gold" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", view.GetProperty("renewal").GetProperty("status").GetString());
        Assert.Equal("gold", view.GetProperty("current").GetProperty("renewsAt").GetString());
        await (await buyer.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/renewal/confirm", new { })).ProblemAsync(HttpStatusCode.Conflict);

        var unusedAllowance = await Fixture.DbAsync(db => db.CreditGrants.Where(g => g.SchoolId == school.Id && g.Source == CreditSource.Allowance && g.ExpiresOn == sub.PeriodEnd)
            .SumAsync(g => g.Remaining));
        var balanceBefore = await Fixture.WalletBalanceAsync(school.Id);
        Fixture.SetToday(sub.PeriodEnd.AddDays(1));
        await Fixture.RunDailyJobAsync();
        await Fixture.RunDailyJobAsync();

        var subs = await Fixture.DbAsync(db => db.Subscriptions.Where(s => s.SchoolId == school.Id).OrderBy(s => s.PeriodStart).ToListAsync());
        Assert.Equal(2, subs.Count);
        Assert.Equal(SubscriptionStatus.Ended, subs[0].Status);
        var next = subs[1];
        Assert.Equal((Tier.Gold, SubscriptionStatus.Active, SubscriptionOrigin.Renewal), (next.Tier, next.Status, next.Origin));
        Assert.Equal(sub.PeriodEnd.AddDays(1), next.PeriodStart);
        Assert.Equal(sub.Id, next.PreviousSubscriptionId);

        var nextAllowance = await Fixture.DbAsync(db => db.CreditGrants.Where(g => g.SchoolId == school.Id && g.Source == CreditSource.Allowance && g.ExpiresOn == next.PeriodEnd).ToListAsync());
        Assert.Equal(next.CreditsIncluded, Assert.Single(nextAllowance).Credits);
        var expired = await Fixture.DbAsync(db => db.LedgerEntries.Where(e => db.LedgerTransactions.Any(t => t.Id == e.TransactionId && t.Kind == LedgerTransactionKind.Expiry && t.SchoolId == school.Id) && e.Amount < 0)
            .SumAsync(e => -e.Amount));
        Assert.Equal(unusedAllowance, expired);
        Assert.Equal(0, await Fixture.DbAsync(db => db.CreditGrants.Where(g => g.SchoolId == school.Id && g.ExpiresOn < next.PeriodStart).SumAsync(g => g.Remaining)));
        Assert.Equal(balanceBefore - unusedAllowance + next.CreditsIncluded, await Fixture.WalletBalanceAsync(school.Id));
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task A_declined_renewal_ends_the_subscription_at_period_end()
    {
        var (school, sub) = await InRenewalWindowAsync();
        var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);

        var view = await (await buyer.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/renewal/decline", new { reason = "Moving to a trust's own service" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("declined", view.GetProperty("renewal").GetProperty("status").GetString());
        Fixture.SetToday(sub.PeriodEnd.AddDays(1));
        await Fixture.RunDailyJobAsync();

        var subs = await Fixture.DbAsync(db => db.Subscriptions.Where(s => s.SchoolId == school.Id).ToListAsync());
        Assert.Equal(SubscriptionStatus.Ended, Assert.Single(subs).Status);
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task An_unanswered_proposal_renews_at_the_current_tier_never_a_dearer_one_unconfirmed()
    {
        var (school, sub) = await InRenewalWindowAsync();
        Fixture.SetToday(sub.PeriodEnd.AddDays(1));
        await Fixture.RunDailyJobAsync();

        var proposal = await Fixture.DbAsync(db => db.RenewalProposals.SingleAsync(p => p.SchoolId == school.Id));
        Assert.Equal(RenewalStatus.RenewedByDefault, proposal.Status);
        Assert.Equal(sub.RenewalTier, proposal.ChosenTier);
        var next = await Fixture.ActiveSubscriptionAsync(school.Id);
        Assert.Equal(sub.RenewalTier, next!.Tier);
        Assert.Equal(sub.PeriodEnd.AddDays(1), next.PeriodStart);
        await Ledger.AssertInvariantsAsync(Fixture);
    }
}
