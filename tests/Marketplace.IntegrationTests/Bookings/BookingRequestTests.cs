using System.Net;
using System.Net.Http.Json;
using Marketplace.Application.Common;
using Marketplace.Application.Credits;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Identity;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Credits;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Bookings;

[Trait("Category", "DateSensitive")]
public class BookingRequestTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private const string YorkTeam = "City of York Council School Improvement Team";

    /// <summary>A published offer of York's provider team that every tier may buy.</summary>
    private Task<(Guid Id, int List, int Silver)> OfferAsync() => Fixture.DbAsync(async db =>
    {
        var team = await db.Providers.Where(p => p.Name == YorkTeam).Select(p => p.Id).SingleAsync();
        var o = await db.Offers.Where(o => o.ProviderId == team && o.Status == OfferStatus.Published && o.PublishedVersionId != null)
            .Join(db.OfferVersions, o => o.PublishedVersionId, v => v.Id, (o, v) => new { o.Id, v.PriceCredits, v.SilverCredits, v.BronzeCredits })
            .Where(x => x.SilverCredits != null && x.BronzeCredits != null).OrderBy(x => x.Id).FirstAsync();
        return (o.Id, o.PriceCredits, o.SilverCredits!.Value);
    });

    private static HttpRequestMessage Book(int urn, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{urn}/bookings") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return request;
    }

    private async Task GrantAsync(Guid schoolId, Guid laId, int credits)
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CreditLedger>().GrantAsync(new CreditLedger.GrantRequest($"arrange:{schoolId:N}", LedgerTransactionKind.Purchase,
            schoolId, laId, CreditSource.Purchased, credits, Fixture.Clock.Today().AddMonths(12), 50_00, "Arranged credits"));
    }

    [Fact]
    public async Task Two_hundred_parallel_booking_requests_against_credits_for_100_hold_exactly_100()
    {
        var school = await Fixture.YorkSchoolAsync(tier: null); // no subscription: the offer's list price
        var offer = await OfferAsync();
        await GrantAsync(school.Id, school.LocalAuthorityId, 100 * offer.List);
        var buyer = await TestUsers.ClientForNewAsync(Fixture, Roles.SchoolBuyer, urn: school.Urn);

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => buyer.SendAsync(Book(school.Urn, new { offerId = offer.Id, quantity = 1 }))));

        Assert.Equal(100, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(100, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var refused in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict).Take(3))
            Assert.Equal("insufficient-credits", (await refused.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal(0, await Fixture.WalletBalanceAsync(school.Id));
        Assert.Equal(100, await Fixture.DbAsync(db => db.Bookings.CountAsync(b => b.SchoolId == school.Id)));
        Assert.Equal(100L * offer.List, await Fixture.DbAsync(db => db.LedgerAccounts
            .Where(a => a.Kind == LedgerAccountKind.BookingHold && db.Bookings.Any(b => b.Id == a.OwnerId && b.SchoolId == school.Id)).SumAsync(a => a.Balance ?? 0)));
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task A_booking_is_priced_at_the_schools_tier_held_once_per_key_and_declining_gives_the_credits_back()
    {
        var school = await Fixture.BuyerSchoolAsync(); // silver
        var offer = await OfferAsync();
        var before = await Fixture.WalletBalanceAsync(school.Id);
        var grantsBefore = await Fixture.DbAsync(db => db.CreditGrants.Where(g => g.SchoolId == school.Id).ToDictionaryAsync(g => g.Id, g => g.Remaining));
        var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var date = Fixture.WorkingDay(20).ToString("yyyy-MM-dd");
        var body = new { offerId = offer.Id, quantity = 1, preferredDates = new[] { date }, purchaseOrderNumber = "PO-77", notes = "Year 5 maths" };

        var created = await (await buyer.SendAsync(Book(school.Urn, body, "k-1"))).JsonAsync(HttpStatusCode.Created);
        var replay = await (await buyer.SendAsync(Book(school.Urn, body, "k-1"))).JsonAsync(HttpStatusCode.Created);
        await (await buyer.SendAsync(Book(school.Urn, new { offerId = offer.Id, quantity = 2 }, "k-1"))).ProblemAsync(HttpStatusCode.UnprocessableEntity);

        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(id, replay.GetProperty("id").GetGuid());
        Assert.Equal(offer.Silver, created.GetProperty("creditsPerUnit").GetInt32());
        Assert.Equal(offer.Silver, created.GetProperty("creditsHeld").GetInt64());
        Assert.Equal("requested", created.GetProperty("status").GetString());
        Assert.Equal(before - offer.Silver, await Fixture.WalletBalanceAsync(school.Id));

        var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/decline", new { reason = "x" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/decline", new { })).ProblemAsync(HttpStatusCode.BadRequest, "reason");
        var declined = await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/decline", new { reason = "No consultant free that week" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("declined", declined.GetProperty("status").GetString());
        Assert.Equal(0, declined.GetProperty("creditsHeld").GetInt64());
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/decline", new { reason = "again" })).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(before, await Fixture.WalletBalanceAsync(school.Id));
        var grantsAfter = await Fixture.DbAsync(db => db.CreditGrants.Where(g => g.SchoolId == school.Id).ToDictionaryAsync(g => g.Id, g => g.Remaining));
        Assert.Equal(grantsBefore, grantsAfter); // the credits went back to the grants they came from
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task A_practitioner_cannot_be_double_booked_even_when_confirmations_race()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await OfferAsync();
        var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var ids = new List<Guid>();
        for (var i = 0; i < 2; i++)
            ids.Add((await (await buyer.SendAsync(Book(school.Urn, new { offerId = offer.Id, quantity = 1 }))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid());
        var practitioner = await Fixture.DbAsync(db => db.Practitioners.Where(p => db.Providers.Any(x => x.Id == p.ProviderId && x.Name == YorkTeam)).Select(p => p.Id).FirstAsync());
        var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var date = Fixture.WorkingDay(12).ToString("yyyy-MM-dd");

        var results = await Task.WhenAll(ids.Select(id => provider.PostJsonAsync($"/api/v1/bookings/{id}/confirm", new { practitionerId = practitioner, dates = new[] { date } })));

        Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = results.Single(r => r.StatusCode != HttpStatusCode.OK);
        Assert.Equal("booking.double-booked", (await refused.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal(1, await Fixture.DbAsync(db => db.Bookings.CountAsync(b => ids.Contains(b.Id) && b.Status == BookingStatus.Confirmed)));
        // Confirming the confirmed one again is a conflict; once it is cancelled, the practitioner is free for the other.
        var confirmed = ids[results.ToList().FindIndex(r => r.StatusCode == HttpStatusCode.OK)];
        var waiting = ids.Single(i => i != confirmed);
        await (await provider.PostJsonAsync($"/api/v1/bookings/{confirmed}/confirm", new { practitionerId = practitioner, dates = new[] { date } })).ProblemAsync(HttpStatusCode.Conflict);
        await (await buyer.PostJsonAsync($"/api/v1/bookings/{confirmed}/cancel", new { })).JsonAsync(HttpStatusCode.OK);
        await (await provider.PostJsonAsync($"/api/v1/bookings/{waiting}/confirm", new { practitionerId = practitioner, dates = new[] { date } })).JsonAsync(HttpStatusCode.OK);
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task Bad_booking_requests_get_a_clear_problem_and_change_nothing()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await OfferAsync();
        var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var before = await Fixture.WalletBalanceAsync(school.Id);
        var bookings = await Fixture.DbAsync(db => db.Bookings.CountAsync());
        var (draft, withdrawn, notForSilver) = await Fixture.DbAsync(async db => (
            await db.Offers.Where(o => o.PublishedVersionId == null && o.Status != OfferStatus.Withdrawn).Select(o => o.Id).FirstAsync(),
            await db.Offers.Where(o => o.Status == OfferStatus.Withdrawn && db.OfferVersions.Any(v => v.OfferId == o.Id && v.ApprovedAt != null)).Select(o => o.Id).FirstAsync(),
            await db.Offers.Where(o => o.Status == OfferStatus.Published).Join(db.OfferVersions, o => o.PublishedVersionId, v => v.Id, (o, v) => new { o.Id, v.SilverCredits })
                .Where(x => x.SilverCredits == null).Select(x => x.Id).FirstAsync()));
        var other = await Fixture.DbAsync(db => db.Schools.Where(s => s.Id != school.Id).Select(s => s.Urn).FirstAsync());

        await (await buyer.SendAsync(Book(school.Urn, new { offerId = offer.Id, quantity = 0 }))).ProblemAsync(HttpStatusCode.BadRequest, "quantity");
        await (await buyer.SendAsync(Book(school.Urn, new { offerId = offer.Id, quantity = 1, preferredDates = new[] { "2020-01-01" } }))).ProblemAsync(HttpStatusCode.BadRequest);
        await (await buyer.SendAsync(Book(school.Urn, new { quantity = 1 }))).ProblemAsync(HttpStatusCode.BadRequest, "offerId");
        var noKey = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{school.Urn}/bookings") { Content = JsonContent.Create(new { offerId = offer.Id, quantity = 1 }) };
        await (await buyer.SendAsync(noKey)).ProblemAsync(HttpStatusCode.BadRequest, "Idempotency-Key");
        await (await buyer.SendAsync(Book(school.Urn, new { offerId = Guid.NewGuid(), quantity = 1 }))).ProblemAsync(HttpStatusCode.NotFound);
        await (await buyer.SendAsync(Book(school.Urn, new { offerId = draft, quantity = 1 }))).ProblemAsync(HttpStatusCode.NotFound);
        await (await buyer.SendAsync(Book(school.Urn, new { offerId = withdrawn, quantity = 1 }))).ProblemAsync(HttpStatusCode.Conflict);
        await (await buyer.SendAsync(Book(school.Urn, new { offerId = notForSilver, quantity = 1 }))).ProblemAsync(HttpStatusCode.Conflict);
        await (await buyer.SendAsync(Book(school.Urn, new { offerId = offer.Id, quantity = 100 }))).ProblemAsync(HttpStatusCode.Conflict); // more than it holds
        await (await buyer.SendAsync(Book(other, new { offerId = offer.Id, quantity = 1 }))).ProblemAsync(HttpStatusCode.NotFound);
        var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        await (await commissioner.SendAsync(Book(school.Urn, new { offerId = offer.Id, quantity = 1 }))).ProblemAsync(HttpStatusCode.Forbidden);
        await (await buyer.GetAsync($"/api/v1/bookings/{Guid.NewGuid()}")).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(before, await Fixture.WalletBalanceAsync(school.Id));
        Assert.Equal(bookings, await Fixture.DbAsync(db => db.Bookings.CountAsync()));
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task The_school_can_cancel_a_request_before_it_is_confirmed_for_free()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await OfferAsync();
        var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var before = await Fixture.WalletBalanceAsync(school.Id);
        var id = (await (await buyer.SendAsync(Book(school.Urn, new { offerId = offer.Id, quantity = 2 }))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var other = await TestUsers.ClientForNewAsync(Fixture, Roles.Provider, providerName: "Ebor Teaching School Alliance");

        await (await other.GetAsync($"/api/v1/bookings/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        var cancelled = await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/cancel", new { reason = "Date moved" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(before, await Fixture.WalletBalanceAsync(school.Id));
        var list = await (await buyer.GetAsync($"/api/v1/schools/{school.Urn}/bookings")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", list[0].GetProperty("status").GetString());
        Assert.Equal(2, cancelled.GetProperty("history").GetArrayLength());
        await Ledger.AssertInvariantsAsync(Fixture);
    }
}
