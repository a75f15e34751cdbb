using System.Net;
using System.Net.Http.Json;
using Marketplace.Application.Common;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Marketplace.IntegrationTests.Browser;

[Trait("Category", "DateSensitive")]
public class BookingBrowserTests(MarketplaceFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_school_signs_off_a_delivered_booking_from_its_bookings_page()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.DbAsync(async db =>
        {
            var team = await db.Providers.Where(p => p.Name == "City of York Council School Improvement Team").Select(p => p.Id).SingleAsync();
            return await db.Offers.Where(o => o.ProviderId == team && o.Status == OfferStatus.Published)
                .Join(db.OfferVersions, o => o.PublishedVersionId, v => v.Id, (o, v) => new { o.Id, v.SilverCredits, v.Title, Practitioner = db.Practitioners.Where(p => p.ProviderId == team).Select(p => p.Id).First() })
                .Where(x => x.SilverCredits != null && x.SilverCredits <= 12).OrderBy(x => x.Id).FirstAsync();
        });
        var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{school.Urn}/bookings") { Content = JsonContent.Create(new { offerId = offer.Id, quantity = 1 }) };
        request.Headers.Add("Idempotency-Key", "browser-1");
        var booked = await (await buyer.SendAsync(request)).JsonAsync(HttpStatusCode.Created);
        var id = booked.GetProperty("id").GetGuid();
        var reference = booked.GetProperty("reference").GetString()!;
        var date = Fixture.WorkingDay(3);
        var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/confirm", new { practitionerId = offer.Practitioner, dates = new[] { date.ToString("yyyy-MM-dd") } })).JsonAsync(HttpStatusCode.OK);
        Fixture.SetToday(date);
        provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/deliver", new { dates = new[] { date.ToString("yyyy-MM-dd") }, quantity = 1, minutes = 300, note = "Lesson visits" }))
            .JsonAsync(HttpStatusCode.OK);

        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.GotoAsync("/school/bookings");
        await Assertions.Expect(Page.GetByRole(AriaRole.Table, new() { Name = "To sign off" })).ToContainTextAsync(reference);
        await AssertAccessibleAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Sign off {reference}" }).ClickAsync();

        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Signed off");
        await Assertions.Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Past" })).ToContainTextAsync(reference);
        Assert.Equal(BookingStatus.SignedOff, (await Fixture.DbAsync(db => db.Bookings.SingleAsync(b => b.Id == id))).Status);
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task A_provider_confirms_a_request_and_records_delivery_from_its_pages()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.DbAsync(async db =>
        {
            var team = await db.Providers.Where(p => p.Name == "City of York Council School Improvement Team").Select(p => p.Id).SingleAsync();
            return await db.Offers.Where(o => o.ProviderId == team && o.Status == OfferStatus.Published)
                .Join(db.OfferVersions, o => o.PublishedVersionId, v => v.Id, (o, v) => new { o.Id, v.SilverCredits })
                .Where(x => x.SilverCredits != null && x.SilverCredits <= 12).OrderBy(x => x.Id).FirstAsync();
        });
        var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{school.Urn}/bookings") { Content = JsonContent.Create(new { offerId = offer.Id, quantity = 1, notes = "Year 4 fractions" }) };
        request.Headers.Add("Idempotency-Key", "browser-2");
        var booked = await (await buyer.SendAsync(request)).JsonAsync(HttpStatusCode.Created);
        var id = booked.GetProperty("id").GetGuid();
        var reference = booked.GetProperty("reference").GetString()!;
        var date = Fixture.WorkingDay(4);

        await SignInAsync(DemoAccounts.YorkProviderTeam);
        await Page.GotoAsync("/provider/bookings");
        await Assertions.Expect(Page.GetByRole(AriaRole.Table, new() { Name = "To confirm" })).ToContainTextAsync(reference);
        await Page.GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("Year 4 fractions");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm booking" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Choose the practitioner");
        await AssertAccessibleAsync();

        await Page.GetByLabel("Practitioner").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await FillDateAsync("Date", date);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm booking" }).ClickAsync();
        // The email is only queued here (the outbox sends it later, and may fail): the banner says so, not that it was sent.
        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync(
            "Booking confirmed. An email to the school with the calendar invitation is queued to be sent.");
        await AssertAccessibleAsync();

        Fixture.SetToday(date); // days later: the sign-in has expired, so sign in again
        await NewSessionAsync();
        await SignInAsync(DemoAccounts.YorkProviderTeam);
        await Page.GotoAsync($"/provider/bookings/{id}");
        await Page.GetByLabel("Time spent, in minutes").FillAsync("300");
        await Page.GetByLabel("Note of the visit").FillAsync("Observed two fractions lessons; planning session with the maths lead.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Record delivery" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Delivery recorded");
        Assert.Equal(BookingStatus.Delivered, (await Fixture.DbAsync(db => db.Bookings.SingleAsync(b => b.Id == id))).Status);
    }

    [Fact]
    public async Task A_school_buyer_books_a_service_from_its_offer_page()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.DbAsync(async db =>
        {
            var team = await db.Providers.Where(p => p.Name == "City of York Council School Improvement Team").Select(p => p.Id).SingleAsync();
            return await db.Offers.Where(o => o.ProviderId == team && o.Status == OfferStatus.Published)
                .Join(db.OfferVersions, o => o.PublishedVersionId, v => v.Id, (o, v) => new { o.Id, v.SilverCredits })
                .Where(x => x.SilverCredits != null && x.SilverCredits <= 12).OrderBy(x => x.Id).FirstAsync();
        });
        var before = await Fixture.WalletBalanceAsync(school.Id);
        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.GotoAsync($"/offers/{offer.Id}");

        var key = await Page.Locator("input[name=RequestKey]").InputValueAsync();
        await FillDateAsync("Preferred date (optional)", "12", "", "2027");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Request booking" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Preferred date must include a month");
        await Assertions.Expect(Page.Locator("#PreferredDate-error")).ToContainTextAsync("Preferred date must include a month");
        // Only the month box is marked as wrong, and the summary's link goes to it.
        await Assertions.Expect(Page.Locator(".govuk-date-input__input.govuk-input--error")).ToHaveCountAsync(1);
        await Assertions.Expect(Page.Locator("#PreferredDate")).ToHaveAttributeAsync("name", "PreferredDate.Month");
        await AssertAccessibleAsync();
        // The form keeps its request key, so sending it again after a correction cannot book twice.
        Assert.Equal(key, await Page.Locator("input[name=RequestKey]").InputValueAsync());

        var day = Fixture.WorkingDay(20);
        await FillDateAsync("Preferred date (optional)", day);
        await Page.GetByLabel("Notes for the provider (optional)").FillAsync("Year 6 reasoning");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Request booking" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Check your booking request before you confirm");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm booking request" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("requested");
        // The booking's own page: its status, how it is paid and what the school asked for.
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Booking BK-");
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("Year 6 reasoning");
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync(day.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB")));
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync($"{offer.SilverCredits} credits held");
        await AssertAccessibleAsync();

        Assert.Equal(1, await Fixture.DbAsync(db => db.Bookings.CountAsync(b => b.SchoolId == school.Id && b.Notes == "Year 6 reasoning")));
        Assert.Equal(before - offer.SilverCredits!.Value, await Fixture.WalletBalanceAsync(school.Id));
        await Ledger.AssertInvariantsAsync(Fixture);
    }
}
