using System.Net;
using System.Net.Http.Json;
using Marketplace.Application.Common;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Features.Bookings;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Subscriptions;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.Bookings;

/// <summary>How a booking is paid: included adviser sessions first, then credits, then pounds where allowed; the school's purchase-order rule.</summary>
[Trait("Category", "DateSensitive")]
public class BookingPaymentTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task A_school_that_requires_purchase_orders_cannot_book_without_one()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        using var requester = await Fixture.ClientFor(DemoAccounts.YorkRequester);
        var url = $"/api/v1/schools/{school.Urn}/booking-settings";
        Assert.False((await (await buyer.GetAsync(url)).JsonAsync(HttpStatusCode.OK)).GetProperty("requiresPurchaseOrder").GetBoolean());

        await (await requester.PutAsJsonAsync(url, new { requiresPurchaseOrder = true })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await buyer.PutAsJsonAsync(url, new { })).ProblemAsync(HttpStatusCode.BadRequest, "requiresPurchaseOrder");
        Assert.True((await (await buyer.PutAsJsonAsync(url, new { requiresPurchaseOrder = true })).JsonAsync(HttpStatusCode.OK)).GetProperty("requiresPurchaseOrder").GetBoolean());
        var balance = await Fixture.WalletBalanceAsync(school.Id);
        var bookings = await Fixture.DbAsync(db => db.Bookings.CountAsync());

        await (await BookingApi.RequestAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 1, purchaseOrderNumber = "  " }))
            .ProblemAsync(HttpStatusCode.BadRequest, "purchaseOrderNumber");
        Assert.Equal(balance, await Fixture.WalletBalanceAsync(school.Id));
        Assert.Equal(bookings, await Fixture.DbAsync(db => db.Bookings.CountAsync()));

        var booked = await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 1, purchaseOrderNumber = "PO-2026-0412" });
        Assert.Equal("PO-2026-0412", booked.GetProperty("purchaseOrderNumber").GetString());
    }

    [Fact]
    public async Task Credits_short_the_rest_is_paid_in_pounds_only_when_the_buyer_asks_and_may_commit_spend()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        var discount = await Fixture.DbAsync(db => db.Subscriptions.Where(s => s.SchoolId == school.Id && s.Status == SubscriptionStatus.Active)
            .Join(db.TierPackages, s => s.PackageId, p => p.Id, (s, p) => p.DiscountBasisPoints).FirstAsync());
        var balance = await Fixture.WalletBalanceAsync(school.Id);
        var affordable = (int)(balance / offer.Silver);
        var quantity = affordable + 2;
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        using var requester = await Fixture.ClientFor(DemoAccounts.YorkRequester);

        await (await BookingApi.RequestAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity })).ProblemAsync(HttpStatusCode.Conflict);
        await (await BookingApi.RequestAsync(requester, school.Urn, new { offerId = offer.Offer, quantity, payShortfallInPounds = true })).ProblemAsync(HttpStatusCode.Forbidden);
        var ebor = await Fixture.DbAsync(db => db.Offers.Where(o => o.Status == Marketplace.Domain.Catalogue.OfferStatus.Published && db.Providers.Any(p => p.Id == o.ProviderId && p.Name == "Ebor Teaching School Alliance"))
            .Join(db.OfferVersions, o => o.PublishedVersionId, v => v.Id, (o, v) => new { o.Id, v.SilverCredits }).Where(x => x.SilverCredits != null).Select(x => x.Id).FirstAsync());
        var refused = await (await BookingApi.RequestAsync(buyer, school.Urn, new { offerId = ebor, quantity = 1, payShortfallInPounds = true })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("booking.pounds", refused.GetProperty("code").GetString());
        Assert.Equal(balance, await Fixture.WalletBalanceAsync(school.Id));

        var booked = await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity, payShortfallInPounds = true });

        var payment = booked.GetProperty("payment");
        var pencePerUnit = (offer.PricePence * (10_000 - discount) + 5_000) / 10_000;
        Assert.Equal((0, affordable, 2, pencePerUnit), (payment.GetProperty("sessionUnits").GetInt32(), payment.GetProperty("creditUnits").GetInt32(),
            payment.GetProperty("poundUnits").GetInt32(), payment.GetProperty("pencePerUnit").GetInt64()));
        Assert.Equal(affordable * offer.Silver, booked.GetProperty("creditsHeld").GetInt64());
        Assert.Equal(balance - affordable * offer.Silver, await Fixture.WalletBalanceAsync(school.Id));

        // Delivered: every credit unit and one pound unit; the second pound unit is never charged.
        var id = booked.GetProperty("id").GetGuid();
        var date = Fixture.WorkingDay(5);
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        await BookingApi.ConfirmAsync(provider, id, offer.Practitioner, date);
        Fixture.SetToday(date);
        using var provider2 = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        await (await provider2.PostJsonAsync($"/api/v1/bookings/{id}/deliver", new { dates = new[] { date.ToString("yyyy-MM-dd") }, quantity = affordable + 1, minutes = 360, note = "Done" }))
            .JsonAsync(HttpStatusCode.OK);
        using var buyer2 = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var signed = await (await buyer2.PostJsonAsync($"/api/v1/bookings/{id}/sign-off")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(affordable * offer.Silver, signed.GetProperty("capturedCredits").GetInt32());
        Assert.Equal(pencePerUnit, signed.GetProperty("payment").GetProperty("penceDue").GetInt64());
        Assert.Equal(affordable + 1, signed.GetProperty("payment").GetProperty("chargedQuantity").GetInt32());
    }

    [Fact]
    public async Task Included_adviser_sessions_are_used_first_and_come_back_when_a_booking_is_declined()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var body = OfferBodies.Valid("Link adviser visit");
        body["unit"] = "session";
        body["usesAdviserSessions"] = true;
        body["silverCredits"] = 7;
        body["goldCredits"] = 7; // gold never dearer than silver (the tier-price rule)
        var offer = await Fixture.PublishOfferAsync(DemoAccounts.YorkProviderTeam, body);
        var included = await Fixture.DbAsync(db => db.Subscriptions.Where(s => s.SchoolId == school.Id && s.Status == SubscriptionStatus.Active)
            .Join(db.TierPackages, s => s.PackageId, p => p.Id, (s, p) => new { s.PeriodStart, p.AdviserSessions }).FirstAsync());
        var used = await Fixture.DbAsync(db => AdviserSessions.UsedAsync(db, school.Id, included.PeriodStart, CancellationToken.None));
        var remaining = included.AdviserSessions - used;
        Assert.True(remaining >= 1, "the demo buyer's silver package has an adviser session left");
        var balance = await Fixture.WalletBalanceAsync(school.Id);
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);

        var first = await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer, quantity = remaining + 1 });

        Assert.Equal((remaining, 1), (first.GetProperty("payment").GetProperty("sessionUnits").GetInt32(), first.GetProperty("payment").GetProperty("creditUnits").GetInt32()));
        Assert.Equal(balance - 7, await Fixture.WalletBalanceAsync(school.Id));
        var second = await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer, quantity = 1 });
        Assert.Equal(0, second.GetProperty("payment").GetProperty("sessionUnits").GetInt32());

        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        await (await provider.PostJsonAsync($"/api/v1/bookings/{first.GetProperty("id").GetGuid()}/decline", new { reason = "No partner free this term" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(balance - 7, await Fixture.WalletBalanceAsync(school.Id)); // the first booking's 7 credits back, the second's 7 held
        var third = await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer, quantity = 1 });
        Assert.Equal(1, third.GetProperty("payment").GetProperty("sessionUnits").GetInt32());
        Assert.Equal(0, third.GetProperty("creditsHeld").GetInt64());
        Assert.Equal(balance - 7, await Fixture.WalletBalanceAsync(school.Id));

        // Only an LA's own traded service can sell from the included sessions.
        using var ebor = await Fixture.ClientFor(DemoAccounts.Ebor);
        await (await ebor.PostAsJsonAsync("/api/v1/offers", body)).ProblemAsync(HttpStatusCode.BadRequest, "usesAdviserSessions");
    }

    [Fact]
    public async Task Parallel_requests_never_take_more_included_sessions_than_the_package_gives()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var body = OfferBodies.Valid("Link adviser drop-in");
        body["unit"] = "session";
        body["usesAdviserSessions"] = true;
        body["silverCredits"] = 1;
        body["goldCredits"] = 1; // gold never dearer than silver (the tier-price rule)
        var offer = await Fixture.PublishOfferAsync(DemoAccounts.YorkProviderTeam, body);
        var package = await Fixture.DbAsync(db => db.Subscriptions.Where(s => s.SchoolId == school.Id && s.Status == SubscriptionStatus.Active)
            .Join(db.TierPackages, s => s.PackageId, p => p.Id, (s, p) => new { s.PeriodStart, p.AdviserSessions }).FirstAsync());
        var before = await Fixture.DbAsync(db => AdviserSessions.UsedAsync(db, school.Id, package.PeriodStart, CancellationToken.None));
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => BookingApi.RequestAsync(buyer, school.Urn, new { offerId = offer, quantity = 1 })));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        var sessionsTaken = await Fixture.DbAsync(db => db.Bookings.Where(b => b.OfferId == offer).SumAsync(b => b.SessionUnits));
        Assert.Equal(package.AdviserSessions - before, sessionsTaken);
        Assert.Equal(package.AdviserSessions, await Fixture.DbAsync(db => AdviserSessions.UsedAsync(db, school.Id, package.PeriodStart, CancellationToken.None)));
    }

    [Fact]
    public async Task An_offer_free_at_the_schools_tier_books_without_holding_anything()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var body = OfferBodies.Valid("Free network meeting for silver subscribers");
        body["silverCredits"] = 0;
        body["goldCredits"] = 0; // gold never dearer than silver (the tier-price rule)
        var offer = await Fixture.PublishOfferAsync(DemoAccounts.YorkProviderTeam, body);
        var balance = await Fixture.WalletBalanceAsync(school.Id);
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);

        var booked = await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer, quantity = 2 });
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var declined = await (await provider.PostJsonAsync($"/api/v1/bookings/{booked.GetProperty("id").GetGuid()}/decline", new { reason = "Full" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal((0, 0L), (booked.GetProperty("totalCredits").GetInt32(), booked.GetProperty("creditsHeld").GetInt64()));
        Assert.Equal("declined", declined.GetProperty("status").GetString());
        Assert.Equal(balance, await Fixture.WalletBalanceAsync(school.Id));
    }

    [Fact]
    public async Task An_offers_own_cancellation_terms_decide_the_charge()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var body = OfferBodies.Valid("Curriculum mapping day");
        body["freeCancellationWorkingDays"] = 5;
        body["lateCancellationPercent"] = 20;
        body["silverCredits"] = 10;
        // The windows count working days, not term days: the offer runs in the holidays too, so the dates are plain working days on any clock.
        body["deliveredInSchoolHolidays"] = true;
        var offer = await Fixture.PublishOfferAsync(DemoAccounts.YorkProviderTeam, body);
        var practitioner = await Fixture.PractitionerOfAsync("City of York Council School Improvement Team", 1);
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var balance = await Fixture.WalletBalanceAsync(school.Id);
        var early = (await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer, quantity = 1 })).GetProperty("id").GetGuid();
        var late = (await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer, quantity = 1 })).GetProperty("id").GetGuid();
        await BookingApi.ConfirmAsync(provider, early, practitioner, WorkingDays.Add(Fixture.Clock.Today(), 5));
        await BookingApi.ConfirmAsync(provider, late, practitioner, WorkingDays.Add(Fixture.Clock.Today(), 3));

        var free = await (await buyer.PostJsonAsync($"/api/v1/bookings/{early}/cancel", new { })).JsonAsync(HttpStatusCode.OK);
        var charged = await (await buyer.PostJsonAsync($"/api/v1/bookings/{late}/cancel", new { })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(0, free.GetProperty("capturedCredits").GetInt32());
        Assert.Equal(2, charged.GetProperty("capturedCredits").GetInt32()); // 20% of 10
        Assert.Equal((5, 20), (charged.GetProperty("freeCancellationWorkingDays").GetInt32(), charged.GetProperty("lateCancellationPercent").GetInt32()));
        Assert.Equal(balance - 2, await Fixture.WalletBalanceAsync(school.Id));
    }
}

/// <summary>Short booking references can collide; the request is written again with a new one rather than failing.</summary>
[Trait("Category", "DateSensitive")]
public class BookingReferenceTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task A_reference_that_is_already_taken_is_replaced_and_the_booking_still_succeeds()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var taken = (await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 1 })).GetProperty("reference").GetString()!;
        var balance = await Fixture.WalletBalanceAsync(school.Id);
        var calls = 0;
        BookingReferences.Next = () => Interlocked.Increment(ref calls) <= 2 ? taken : BookingReferences.Random();
        try
        {
            var second = await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 1 });

            Assert.NotEqual(taken, second.GetProperty("reference").GetString());
            Assert.Equal(3, calls); // two clashes, then a fresh reference
            Assert.Equal(balance - offer.Silver, await Fixture.WalletBalanceAsync(school.Id)); // held once, not three times
        }
        finally
        {
            BookingReferences.Next = BookingReferences.Random;
        }
    }
}
