using Marketplace.Application.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.Infrastructure;

/// <summary>Booking steps over the real API, shared by the booking tests.</summary>
public static class BookingApi
{
    /// <summary>The <paramref name="workingDaysAhead"/>th working day in term (in every demo LA) after the fixture's today.</summary>
    public static DateOnly WorkingDay(this MarketplaceFixture fixture, int workingDaysAhead) => DemoTerms.AddTermDays(fixture.Clock.Today(), workingDaysAhead);

    /// <summary>The <paramref name="days"/>th working day in term after <paramref name="from"/>.</summary>
    public static DateOnly TermDayAfter(DateOnly from, int days) => DemoTerms.AddTermDays(from, days);

    /// <summary>
    /// Makes the offer's published version one that can be delivered in school holidays, for tests of rules that count
    /// plain working days (cancellation windows, reminders): before Christmas or in the summer no term day is close
    /// enough, so such a test books working days, whatever the clock.
    /// </summary>
    public static Task<int> DeliverInSchoolHolidaysAsync(this MarketplaceFixture fixture, Guid offerId) => fixture.DbAsync(db =>
        db.OfferVersions.Where(v => db.Offers.Any(o => o.Id == offerId && o.PublishedVersionId == v.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(v => v.DeliveredInSchoolHolidays, true)));

    public static async Task<HttpResponseMessage> RequestAsync(HttpClient buyer, int urn, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{urn}/bookings") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await buyer.SendAsync(request);
    }

    /// <summary>
    /// Buys credits for the school over the API (as its buyer), so a test does not depend on how many the demo
    /// world happens to have left on the pinned day (at a period's start, only the new allowance).
    /// </summary>
    public static async Task BuyCreditsAsync(HttpClient buyer, int urn, int credits)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{urn}/credits/purchases")
        {
            Content = JsonContent.Create(new { credits, purchaseOrderNumber = "PO-TEST" }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        (await buyer.SendAsync(request)).EnsureSuccessStatusCode();
    }

    public static async Task<JsonElement> BookAsync(HttpClient buyer, int urn, object body) =>
        await (await RequestAsync(buyer, urn, body)).JsonAsync(HttpStatusCode.Created);

    public static async Task<JsonElement> ConfirmAsync(HttpClient provider, Guid booking, Guid practitioner, params DateOnly[] dates) =>
        await (await provider.PostJsonAsync($"/api/v1/bookings/{booking}/confirm",
            new { practitionerId = practitioner, dates = dates.Select(d => d.ToString("yyyy-MM-dd")).ToArray() })).JsonAsync(HttpStatusCode.OK);

    public static async Task<JsonElement> GetAsync(HttpClient client, Guid booking) =>
        await (await client.GetAsync($"/api/v1/bookings/{booking}")).JsonAsync(HttpStatusCode.OK);

    /// <summary>A York provider team offer paid in credits at every tier (not from adviser sessions), with its silver price and a practitioner.</summary>
    public static Task<(Guid Offer, int Silver, Guid Practitioner, long PricePence)> YorkTeamDayAsync(this MarketplaceFixture fixture) => fixture.DbAsync(async db =>
    {
        var team = await db.Providers.Where(p => p.Name == "City of York Council School Improvement Team").Select(p => p.Id).SingleAsync();
        var o = await db.Offers.Where(o => o.ProviderId == team && o.Status == OfferStatus.Published)
            .Join(db.OfferVersions, o => o.PublishedVersionId, v => v.Id, (o, v) => new { o.Id, v.SilverCredits, v.UsesAdviserSessions, v.Unit, v.PricePence, v.PayAsYouUse })
            .Where(x => x.SilverCredits != null && x.SilverCredits >= 5 && x.SilverCredits <= 12 && !x.UsesAdviserSessions && x.Unit == OfferUnit.Day && x.PayAsYouUse)
            .OrderBy(x => x.Id).FirstAsync();
        var practitioner = await db.Practitioners.Where(x => x.ProviderId == team).OrderBy(x => x.Id).Select(x => x.Id).FirstAsync();
        return (o.Id, o.SilverCredits!.Value, practitioner, o.PricePence);
    });

    /// <summary>Creates, submits and approves an offer for a York provider (York's commissioner approves it).</summary>
    public static async Task<Guid> PublishOfferAsync(this MarketplaceFixture fixture, string providerLogin, Dictionary<string, object?> body)
    {
        using var provider = await fixture.ClientFor(providerLogin);
        var created = await (await provider.PostAsJsonAsync("/api/v1/offers", body)).JsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        (await provider.PostJsonAsync($"/api/v1/offers/{id}/submit")).EnsureSuccessStatusCode();
        using var commissioner = await fixture.ClientFor(DemoAccounts.YorkCommissioner);
        await (await commissioner.PostJsonAsync($"/api/v1/offers/{id}/approve")).JsonAsync(HttpStatusCode.OK);
        return id;
    }

    public static Task<Guid> PractitionerOfAsync(this MarketplaceFixture fixture, string providerName, int index = 0) => fixture.DbAsync(db =>
        db.Practitioners.Where(p => db.Providers.Any(x => x.Id == p.ProviderId && x.Name == providerName)).OrderBy(p => p.Id).Select(p => p.Id).Skip(index).FirstAsync());
}
