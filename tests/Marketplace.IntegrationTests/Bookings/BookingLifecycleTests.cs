using System.Net;
using System.Net.Http.Json;
using Marketplace.Application.Common;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Credits;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.Bookings;

/// <summary>Deliver, sign off, dispute and cancel, with the ledger effect of each step.</summary>
[Trait("Category", "DateSensitive")]
public class BookingLifecycleTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private Task<(Guid Offer, Guid Practitioner, Guid ProviderId, int Silver)> OfferOfAsync(string provider) => Fixture.DbAsync(async db =>
    {
        var p = await db.Providers.Where(x => x.Name == provider).Select(x => x.Id).SingleAsync();
        var o = await db.Offers.Where(o => o.ProviderId == p && o.Status == OfferStatus.Published)
            .Join(db.OfferVersions, o => o.PublishedVersionId, v => v.Id, (o, v) => new { o.Id, v.SilverCredits })
            .Where(x => x.SilverCredits != null && x.SilverCredits <= 12).OrderBy(x => x.Id).FirstAsync();
        var practitioner = await db.Practitioners.Where(x => x.ProviderId == p).OrderBy(x => x.Id).Select(x => x.Id).FirstAsync();
        return (o.Id, practitioner, p, o.SilverCredits!.Value);
    });

    private async Task<(HttpClient Buyer, HttpClient Provider, Guid Id)> ConfirmedAsync(string providerName, string providerLogin, int quantity, DateOnly date)
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await OfferOfAsync(providerName);
        var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{school.Urn}/bookings") { Content = JsonContent.Create(new { offerId = offer.Offer, quantity }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var id = (await (await buyer.SendAsync(request)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var provider = await Fixture.ClientFor(providerLogin);
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/confirm", new { practitionerId = offer.Practitioner, dates = new[] { date.ToString("yyyy-MM-dd") } }))
            .JsonAsync(HttpStatusCode.OK);
        return (buyer, provider, id);
    }

    private Task<long> EntriesAsync(LedgerAccountKind kind, Guid? la = null, Guid? provider = null) =>
        Fixture.DbAsync(db => db.LedgerEntries.Where(e => db.LedgerAccounts.Any(a => a.Id == e.AccountId && a.Kind == kind
            && (la == null || a.LocalAuthorityId == la) && (provider == null || a.ProviderId == provider))).SumAsync(e => e.Amount));

    [Fact]
    public async Task Partial_delivery_signed_off_pays_the_LA_for_what_was_delivered_and_returns_the_rest()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await OfferOfAsync("City of York Council School Improvement Team");
        var before = await Fixture.WalletBalanceAsync(school.Id);
        var revenueBefore = await EntriesAsync(LedgerAccountKind.LaRevenue, la: school.LocalAuthorityId);
        var date = Fixture.WorkingDay(12);
        var (buyer, provider, id) = await ConfirmedAsync("City of York Council School Improvement Team", DemoAccounts.YorkProviderTeam, 2, date);
        Assert.Equal(before - 2 * offer.Silver, await Fixture.WalletBalanceAsync(school.Id));

        Fixture.SetToday(date.AddDays(1));
        (buyer, provider) = (await Fixture.ClientFor(DemoAccounts.YorkBuyer), await Fixture.ClientFor(DemoAccounts.YorkProviderTeam));
        await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/sign-off")).ProblemAsync(HttpStatusCode.Conflict); // nothing delivered yet
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/deliver", new { dates = new[] { date.ToString("yyyy-MM-dd") }, quantity = 3, minutes = 360, note = "Lesson visits" }))
            .ProblemAsync(HttpStatusCode.Conflict); // more than was booked
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/deliver", new { dates = new[] { date.ToString("yyyy-MM-dd") }, quantity = 1 }))
            .ProblemAsync(HttpStatusCode.BadRequest, "minutes", "note");
        var delivered = await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/deliver",
            new { dates = new[] { date.ToString("yyyy-MM-dd") }, quantity = 1, minutes = 360, note = "Maths lesson visits and feedback to the subject leader" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("delivered", delivered.GetProperty("status").GetString());
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/sign-off")).ProblemAsync(HttpStatusCode.Forbidden);

        var signed = await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/sign-off")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("signedOff", signed.GetProperty("status").GetString());
        Assert.Equal(offer.Silver, signed.GetProperty("capturedCredits").GetInt32());
        Assert.Equal(0, signed.GetProperty("creditsHeld").GetInt64());
        Assert.Equal(before - offer.Silver, await Fixture.WalletBalanceAsync(school.Id));
        Assert.Equal(revenueBefore + offer.Silver, await EntriesAsync(LedgerAccountKind.LaRevenue, la: school.LocalAuthorityId));
        await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/sign-off")).ProblemAsync(HttpStatusCode.Conflict);
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task A_school_to_school_provider_earns_credits_into_its_own_schools_wallet()
    {
        var offer = await OfferOfAsync("Ebor Teaching School Alliance");
        var hub = await Fixture.DbAsync(db => db.Providers.Where(p => p.Id == offer.ProviderId).Select(p => p.SchoolId!.Value).SingleAsync());
        var hubBefore = await Fixture.WalletBalanceAsync(hub);
        var earnedBefore = await Fixture.DbAsync(db => db.CreditGrants.Where(g => g.SchoolId == hub && g.Source == CreditSource.Earned).Select(g => g.Id).ToListAsync());
        var date = Fixture.WorkingDay(10);
        var (_, _, id) = await ConfirmedAsync("Ebor Teaching School Alliance", DemoAccounts.Ebor, 1, date);
        Fixture.SetToday(date);
        var provider = await Fixture.ClientFor(DemoAccounts.Ebor);
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/deliver", new { dates = new[] { date.ToString("yyyy-MM-dd") }, quantity = 1, minutes = 420, note = "SLE day" }))
            .JsonAsync(HttpStatusCode.OK);

        await (await (await Fixture.ClientFor(DemoAccounts.YorkBuyer)).PostJsonAsync($"/api/v1/bookings/{id}/sign-off")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(hubBefore + offer.Silver, await Fixture.WalletBalanceAsync(hub));
        var earned = await Fixture.DbAsync(db => db.CreditGrants.SingleAsync(g => g.SchoolId == hub && g.Source == CreditSource.Earned && !earnedBefore.Contains(g.Id)));
        Assert.Equal((offer.Silver, 0L), (earned.Credits, earned.CostBasisPencePerCredit));
        Assert.Equal(0, await EntriesAsync(LedgerAccountKind.ProviderEarnings, provider: offer.ProviderId)); // passed straight on to the school
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task A_disputed_delivery_keeps_the_credits_held()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var date = Fixture.WorkingDay(8);
        var (_, _, id) = await ConfirmedAsync("City of York Council School Improvement Team", DemoAccounts.YorkProviderTeam, 1, date);
        Fixture.SetToday(date);
        var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/deliver", new { dates = new[] { date.ToString("yyyy-MM-dd") }, quantity = 1, minutes = 60, note = "Short visit" }))
            .JsonAsync(HttpStatusCode.OK);
        var balance = await Fixture.WalletBalanceAsync(school.Id);
        var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);

        await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/dispute", new { })).ProblemAsync(HttpStatusCode.BadRequest, "note");
        var disputed = await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/dispute", new { reason = "The consultant left after an hour" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("disputed", disputed.GetProperty("status").GetString());
        Assert.True(disputed.GetProperty("creditsHeld").GetInt64() > 0);
        Assert.Equal(balance, await Fixture.WalletBalanceAsync(school.Id));
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task Cancelling_a_confirmed_booking_late_charges_half_and_the_provider_cancelling_is_free()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await OfferOfAsync("City of York Council School Improvement Team");
        var before = await Fixture.WalletBalanceAsync(school.Id);
        var today = Fixture.Clock.Today();
        // Five working days ahead: inside the ten-day window, well over 48 hours away. The charge counts working
        // days, not term days, and before Christmas or in the summer holidays no term day is that close: the offer
        // is made one that can be delivered in the holidays, so the date is a plain working day on any clock.
        await Fixture.DeliverInSchoolHolidaysAsync(offer.Offer);
        var late = WorkingDays.Add(today, 5);
        var (buyer, _, lateId) = await ConfirmedAsync("City of York Council School Improvement Team", DemoAccounts.YorkProviderTeam, 2, late);
        var cancelled = await (await buyer.PostJsonAsync($"/api/v1/bookings/{lateId}/cancel", new { reason = "Staff illness" })).JsonAsync(HttpStatusCode.OK);
        var charge = (int)Math.Ceiling(2 * offer.Silver / 2m);
        Assert.Equal(charge, cancelled.GetProperty("capturedCredits").GetInt32());
        Assert.Equal(before - charge, await Fixture.WalletBalanceAsync(school.Id));

        var far = WorkingDaysAhead(today, 25);
        var (_, provider, farId) = await ConfirmedAsync("City of York Council School Improvement Team", DemoAccounts.YorkProviderTeam, 1, far);
        var byProvider = await (await provider.PostJsonAsync($"/api/v1/bookings/{farId}/cancel", new { reason = "Consultant unavailable" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, byProvider.GetProperty("capturedCredits").GetInt32());
        Assert.Equal(before - charge, await Fixture.WalletBalanceAsync(school.Id));
        // The practitioner is free on that date again.
        Assert.False(await Fixture.DbAsync(db => db.BookingSlots.AnyAsync(s => s.BookingId == farId)));
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    private static DateOnly WorkingDaysAhead(DateOnly from, int days) => BookingApi.TermDayAfter(from, days);
}

[Trait("Category", "DateSensitive")]
public class AutoSignOffTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task An_unanswered_delivery_is_signed_off_after_ten_working_days_once_however_often_the_job_runs()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.DbAsync(async db =>
        {
            var team = await db.Providers.Where(p => p.Name == "City of York Council School Improvement Team").Select(p => p.Id).SingleAsync();
            return await db.Offers.Where(o => o.ProviderId == team && o.Status == OfferStatus.Published)
                .Join(db.OfferVersions, o => o.PublishedVersionId, v => v.Id, (o, v) => new { o.Id, v.SilverCredits, Practitioner = db.Practitioners.Where(p => p.ProviderId == team).Select(p => p.Id).First() })
                .Where(x => x.SilverCredits != null && x.SilverCredits <= 12).OrderBy(x => x.Id).FirstAsync();
        });
        var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{school.Urn}/bookings") { Content = JsonContent.Create(new { offerId = offer.Id, quantity = 1 }) };
        request.Headers.Add("Idempotency-Key", "auto-1");
        var id = (await (await buyer.SendAsync(request)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var date = Fixture.WorkingDay(3);
        var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/confirm", new { practitionerId = offer.Practitioner, dates = new[] { date.ToString("yyyy-MM-dd") } })).JsonAsync(HttpStatusCode.OK);
        Fixture.SetToday(date);
        provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/deliver", new { dates = new[] { date.ToString("yyyy-MM-dd") }, quantity = 1, minutes = 180, note = "Done" }))
            .JsonAsync(HttpStatusCode.OK);
        var revenue = () => Fixture.DbAsync(db => db.LedgerEntries.Where(e => db.LedgerAccounts.Any(a => a.Id == e.AccountId && a.Kind == LedgerAccountKind.LaRevenue
            && a.LocalAuthorityId == school.LocalAuthorityId)).SumAsync(e => e.Amount));
        var before = await revenue();

        Fixture.SetToday(WorkingDays.Add(date, 9));
        await Fixture.RunBookingJobAsync();
        Assert.Equal(BookingStatus.Delivered, (await Fixture.DbAsync(db => db.Bookings.SingleAsync(b => b.Id == id))).Status); // nine working days: not yet

        Fixture.SetToday(WorkingDays.Add(date, 10));
        await Fixture.RunBookingJobAsync();
        await Fixture.RunBookingJobAsync();

        var booking = await Fixture.DbAsync(db => db.Bookings.Include(b => b.Events).SingleAsync(b => b.Id == id));
        Assert.Equal(BookingStatus.SignedOff, booking.Status);
        Assert.Contains("automatically", booking.Events.Last().Note);
        Assert.Equal(before + offer.SilverCredits!.Value, await revenue());
        Assert.Equal(1, await Fixture.DbAsync(db => db.LedgerTransactions.CountAsync(t => t.IdempotencyKey == $"capture:{id:N}")));
        await Ledger.AssertInvariantsAsync(Fixture);
    }
}
