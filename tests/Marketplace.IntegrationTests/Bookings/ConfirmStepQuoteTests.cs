using System.Net;
using Marketplace.Application.Common;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Subscriptions;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.Bookings;

/// <summary>
/// The quotes the check pages show (QuoteUpgrade, QuoteCancellation) are exactly what the commands then apply,
/// and asking for a quote changes nothing.
/// </summary>
[Trait("Category", "DateSensitive")]
public class ConfirmStepQuoteTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task The_upgrade_quote_is_what_the_upgrade_charges_and_grants_and_quoting_changes_nothing()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var before = (await Fixture.ActiveSubscriptionAsync(school.Id))!;
        Assert.Equal(Tier.Silver, before.Tier);
        var balance = await Fixture.WalletBalanceAsync(school.Id);
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);

        var quote = await (await buyer.GetAsync($"/api/v1/schools/{school.Urn}/subscription/upgrade-quote?tier=gold")).JsonAsync(HttpStatusCode.OK);
        var q = quote.GetProperty("quote");
        var (fee, share, credits) = (q.GetProperty("feeDifferencePence").GetInt64(), q.GetProperty("schoolSharePence").GetInt64(), q.GetProperty("creditDifference").GetInt32());
        var today = Fixture.Clock.Today();
        // Independent of the rule under test: the annual fee difference for the days left, rounded half away from zero.
        var gold = await Fixture.DbAsync(db => db.TierPackages.AsNoTracking().SingleAsync(p => p.Id != before.PackageId && p.LocalAuthorityId == before.LocalAuthorityId
            && p.Tier == Tier.Gold && p.Year == TierPackage.YearOf(before.Period)));
        var days = before.PeriodEnd.DayNumber - today.DayNumber + 1;
        var expectedFee = (long)Math.Round((decimal)(gold.FeeFor(school.PupilsOnRoll) - before.FeePence) * days / before.Period.Days, MidpointRounding.AwayFromZero);
        Assert.Equal(expectedFee, fee);
        Assert.Equal(Expected.ProratedCredits(gold.CreditsIncluded - before.CreditsIncluded, before.PeriodStart, before.PeriodEnd, today), credits);
        Assert.True(fee > 0, "mid-period, an upgrade to gold costs something");
        Assert.Equal(credits * quote.GetProperty("creditPricePence").GetInt64(), quote.GetProperty("creditValuePence").GetInt64());

        var unchanged = (await Fixture.ActiveSubscriptionAsync(school.Id))!;
        Assert.Equal((Tier.Silver, before.Changes.Count, balance), (unchanged.Tier, unchanged.Changes.Count, await Fixture.WalletBalanceAsync(school.Id)));

        (await buyer.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/upgrade", new { tier = "gold" })).EnsureSuccessStatusCode();

        var after = (await Fixture.ActiveSubscriptionAsync(school.Id))!;
        var change = after.Changes.Single(c => c.Kind == SubscriptionChangeKind.Upgraded);
        Assert.Equal((Tier.Gold, fee, share, credits), (after.Tier, change.FeePence, change.SchoolSharePence, change.Credits));
        Assert.Equal(balance + credits, await Fixture.WalletBalanceAsync(school.Id));
    }

    [Fact]
    public async Task A_buyer_who_may_not_commit_spend_gets_no_upgrade_quote()
    {
        var school = await Fixture.BuyerSchoolAsync();
        using var requester = await Fixture.ClientFor(DemoAccounts.YorkRequester);
        await (await requester.GetAsync($"/api/v1/schools/{school.Urn}/subscription/upgrade-quote?tier=gold")).ProblemAsync(HttpStatusCode.Forbidden);
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        await (await buyer.GetAsync($"/api/v1/schools/{school.Urn}/subscription/upgrade-quote?tier=bronze")).ProblemAsync(HttpStatusCode.Conflict);
        await (await buyer.GetAsync($"/api/v1/schools/{school.Urn}/subscription/upgrade-quote")).ProblemAsync(HttpStatusCode.BadRequest, "tier");
    }

    /// <summary>A confirmed two-day booking with the York team, its first date <paramref name="workingDaysAhead"/> working days away.</summary>
    private async Task<(Guid Id, int TotalCredits, Guid SchoolId)> ConfirmedAsync(int workingDaysAhead)
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        await BookingApi.BuyCreditsAsync(buyer, school.Urn, 4 * offer.Silver);
        var booked = await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 2 });
        var id = booked.GetProperty("id").GetGuid();
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        await BookingApi.ConfirmAsync(provider, id, offer.Practitioner, Fixture.WorkingDay(workingDaysAhead), Fixture.WorkingDay(workingDaysAhead + 1));
        return (id, 2 * offer.Silver, school.Id);
    }

    [Theory]
    [InlineData(3, false)]  // inside the free notice, more than 48 hours before: the late percentage
    [InlineData(15, false)] // beyond the free notice: free
    [InlineData(3, true)]   // the provider cancels: free to the school
    public async Task The_cancellation_quote_is_what_the_cancellation_charges_and_quoting_changes_nothing(int workingDaysAhead, bool byProvider)
    {
        var (id, total, schoolId) = await ConfirmedAsync(workingDaysAhead);
        var terms = await Fixture.DbAsync(db => db.Bookings.Where(b => b.Id == id)
            .Join(db.OfferVersions, b => b.OfferVersionId, v => v.Id, (b, v) => new { v.FreeCancellationWorkingDays, v.LateCancellationPercent }).SingleAsync());
        var balance = await Fixture.WalletBalanceAsync(schoolId);
        using var client = await Fixture.ClientFor(byProvider ? DemoAccounts.YorkProviderTeam : DemoAccounts.YorkBuyer);

        var quote = await (await client.GetAsync($"/api/v1/bookings/{id}/cancellation-quote")).JsonAsync(HttpStatusCode.OK);
        var charged = quote.GetProperty("creditsCharged").GetInt32();
        var late = !byProvider && workingDaysAhead < terms.FreeCancellationWorkingDays;
        Assert.Equal(late ? (int)Math.Ceiling(total * terms.LateCancellationPercent / 100m) : 0, charged);
        Assert.Equal(total - charged, quote.GetProperty("creditsReturned").GetInt32());
        Assert.Equal(!late, quote.GetProperty("isFree").GetBoolean());
        Assert.Equal(BookingStatus.Confirmed, await Fixture.DbAsync(db => db.Bookings.Where(b => b.Id == id).Select(b => b.Status).SingleAsync()));
        Assert.Equal(balance, await Fixture.WalletBalanceAsync(schoolId));

        (await client.PostJsonAsync($"/api/v1/bookings/{id}/cancel", new { reason = "Staff illness" })).EnsureSuccessStatusCode();

        var after = await Fixture.DbAsync(db => db.Bookings.AsNoTracking().SingleAsync(b => b.Id == id));
        Assert.Equal((BookingStatus.Cancelled, charged, quote.GetProperty("penceCharged").GetInt64()), (after.Status, after.CapturedCredits, after.PenceDue));
        Assert.Equal(balance + total - charged, await Fixture.WalletBalanceAsync(schoolId));
        await (await client.GetAsync($"/api/v1/bookings/{id}/cancellation-quote")).ProblemAsync(HttpStatusCode.Conflict);
    }
}
