using System.Net;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Bookings;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Marketplace.IntegrationTests.Browser;

/// <summary>Changes of date, a practitioner's calendar and the LA's disputes page, driven in Chromium with the accessibility scan.</summary>
[Trait("Category", "DateSensitive")]
public class BookingChangeBrowserTests(MarketplaceFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task The_school_proposes_a_new_date_and_the_provider_accepts_it()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        var practitioner = await Fixture.PractitionerOfAsync("City of York Council School Improvement Team", 9);
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var booked = await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 1 });
        var id = booked.GetProperty("id").GetGuid();
        var reference = booked.GetProperty("reference").GetString()!;
        using (var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam))
            await BookingApi.ConfirmAsync(provider, id, practitioner, Fixture.WorkingDay(9));
        var newDate = Fixture.WorkingDay(11);

        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.GotoAsync("/school/bookings");
        await Page.GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
        await FillDateAsync("New date", "31", "2", newDate.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Propose the change" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("New date must be a real date");
        await AssertAccessibleAsync();
        await FillDateAsync("New date", newDate);
        await Page.GetByLabel("Why it needs to move").FillAsync("Our maths lead is on a course that day");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Propose the change" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Change proposed");
        await Assertions.Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Proposed changes" })).ToContainTextAsync("Pending");

        await NewSessionAsync();
        await SignInAsync(DemoAccounts.YorkProviderTeam);
        await Page.GotoAsync($"/provider/bookings/{id}");
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("Our maths lead is on a course that day");
        await AssertAccessibleAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Accept the change" }).ClickAsync();

        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("the booking has moved");
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync(newDate.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB")));
        Assert.Equal([newDate], await Fixture.DbAsync(db => db.BookingSlots.Where(s => s.BookingId == id).Select(s => s.Date).ToListAsync()));
    }

    [Fact]
    public async Task A_provider_records_an_absence_on_a_practitioners_calendar()
    {
        var away = Fixture.WorkingDay(6);
        await SignInAsync(DemoAccounts.YorkProviderTeam);
        await Page.GotoAsync("/provider/practitioners");
        await AssertAccessibleAsync();
        await Page.Locator("main table a").First.ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("calendar");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Record absence" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Enter the first day away");
        await AssertAccessibleAsync();

        await FillDateAsync("First day away", away);
        await Page.GetByLabel("Reason").FillAsync("Moderation training");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Record absence" }).ClickAsync();

        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Absence recorded");
        await Page.GotoAsync(Page.Url.Split('?')[0] + $"?month={away:yyyy-MM}");
        await Assertions.Expect(Page.Locator($"td[data-date='{away:yyyy-MM-dd}']")).ToContainTextAsync("Away: Moderation training");
        await AssertAccessibleAsync();
    }

    [Fact]
    public async Task A_commissioner_resolves_a_dispute_from_the_disputes_page()
    {
        var disputed = await Fixture.DbAsync(db => db.Bookings.Where(b => b.Status == BookingStatus.Disputed).Select(b => new { b.Id, b.Reference }).SingleAsync());
        await SignInAsync(DemoAccounts.YorkCommissioner);
        await Page.GotoAsync("/la/disputes");
        await AssertAccessibleAsync();
        var card = Page.Locator(".govuk-summary-card", new() { HasText = disputed.Reference });
        await card.GetByRole(AriaRole.Button, new() { Name = $"Resolve {disputed.Reference}" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Record why the dispute was settled this way");
        await AssertAccessibleAsync();

        card = Page.Locator(".govuk-summary-card", new() { HasText = disputed.Reference });
        await card.GetByLabel("How much to charge").FillAsync("0");
        await card.GetByLabel("Why (both sides see this)").FillAsync("The report did not cover what the school asked for");
        await card.GetByRole(AriaRole.Button, new() { Name = $"Resolve {disputed.Reference}" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#summary-charge")).ToHaveTextAsync("Nothing");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm resolution" }).ClickAsync();

        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync(
            "Dispute resolved. Emails telling the school and the provider are queued to be sent.");
        await Assertions.Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Resolved in the last 90 days" })).ToContainTextAsync(disputed.Reference);
        Assert.Equal(BookingStatus.Resolved, await Fixture.DbAsync(db => db.Bookings.Where(b => b.Id == disputed.Id).Select(b => b.Status).SingleAsync()));
    }
}

/// <summary>The school's purchase-order rule and an offer's booking terms, set and used through the pages.</summary>
[Trait("Category", "DateSensitive")]
public class BookingSettingsBrowserTests(MarketplaceFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_school_that_requires_purchase_orders_is_asked_for_one_on_the_offer_page()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.GotoAsync("/school/bookings");
        await Page.GetByLabel("Every booking needs a purchase-order number").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Every booking now needs a purchase-order number");
        Assert.True(await Fixture.DbAsync(db => db.Schools.Where(s => s.Id == school.Id).Select(s => s.RequiresPurchaseOrder).SingleAsync()));

        await Page.GotoAsync($"/offers/{offer.Offer}");
        await Assertions.Expect(Page.Locator("#PurchaseOrderNumber-hint")).ToContainTextAsync("Your school quotes a purchase-order number");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Request booking" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("purchase-order number");
        await AssertAccessibleAsync();
        await Page.GetByLabel("Purchase-order number").FillAsync("PO-88121");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Request booking" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#summary-po")).ToHaveTextAsync("PO-88121");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm booking request" }).ClickAsync();

        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("PO-88121");
    }

    [Fact]
    public async Task A_provider_sets_an_offers_cancellation_terms_and_pay_as_you_use()
    {
        await SignInAsync(DemoAccounts.YorkProviderTeam);
        await Page.GotoAsync("/provider/offers/new");
        await Page.GetByLabel("Title").FillAsync("Phonics audit day");
        await Page.GetByLabel("Description").FillAsync("A consultant audits phonics teaching and the reading scheme with the early reading lead.");
        await Page.GetByLabel("Type of support").SelectOptionAsync("subjectConsultancy");
        await Page.GetByLabel("Subject").SelectOptionAsync("english");
        await Page.GetByLabel("Primary", new() { Exact = true }).CheckAsync();
        await Page.GetByLabel("Sold per").SelectOptionAsync("day");
        await Page.GetByLabel("Price in pounds (pay as you go)").FillAsync("450");
        await Page.GetByLabel("Price in credits").FillAsync("9");
        await Page.GetByLabel("Silver").FillAsync("8");
        await Page.GetByLabel("Free cancellation up to this many working days before").FillAsync("five");
        await Page.GetByLabel("Charge for a later cancellation").FillAsync("25");
        await Page.GetByLabel("Schools may pay in pounds for what their credits do not cover").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("whole number of working days");
        await AssertAccessibleAsync();

        await Page.GetByLabel("Free cancellation up to this many working days before").FillAsync("5");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Draft offer created");
        var version = await Fixture.DbAsync(db => db.OfferVersions.Where(v => v.Title == "Phonics audit day")
            .Select(v => new { v.FreeCancellationWorkingDays, v.LateCancellationPercent, v.PayAsYouUse, v.UsesAdviserSessions }).SingleAsync());
        Assert.Equal((5, 25, true, false), (version.FreeCancellationWorkingDays, version.LateCancellationPercent, version.PayAsYouUse, version.UsesAdviserSessions));
    }
}
