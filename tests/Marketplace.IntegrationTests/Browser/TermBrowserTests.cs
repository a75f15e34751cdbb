using Marketplace.Application.Common;
using System.Text;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Calendar;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Marketplace.IntegrationTests.Browser;

/// <summary>School terms: a commissioner enters a term and uploads a CSV; a practitioner's calendar shows the holidays. In Chromium with the axe scan.</summary>
[Trait("Category", "DateSensitive")]
public class TermBrowserTests(MarketplaceFixture fixture) : BrowserTest(fixture)
{
    private static readonly System.Globalization.CultureInfo EnGb = System.Globalization.CultureInfo.GetCultureInfo("en-GB");

    [Fact]
    public async Task A_commissioner_adds_a_term_with_date_inputs_and_uploads_a_CSV()
    {
        var year = AcademicYears.Of(Fixture.Clock.Today()) + 1;
        await SignInAsync(DemoAccounts.YorkCommissioner);
        await Page.GotoAsync($"/la/terms?year={year}");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"School terms {AcademicYears.Name(year)}");
        await Assertions.Expect(Page.Locator("#terms tbody tr")).ToHaveCountAsync(6);
        await AssertAccessibleAsync();

        // The first empty row: a summer school in August, after the summer term.
        var row = Page.GetByRole(AriaRole.Group, new() { Name = "Term 7 (empty: fill in to add a term)" });
        await row.GetByLabel("Name", new() { Exact = true }).FillAsync("Summer school");
        await FillDateAsync("First day", "2", "8", (year + 1).ToString(EnGb), row);
        await FillDateAsync("Last day", "31", "8", (year + 1).ToString(EnGb) + "0", row); // a five-digit year
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Save terms for {AcademicYears.Name(year)}" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Year must include 4 numbers");
        await Assertions.Expect(Page.Locator(".govuk-input--error")).ToHaveCountAsync(1);
        await AssertAccessibleAsync();

        await FillDateAsync("Last day", new DateOnly(year + 1, 8, 20), Page.GetByRole(AriaRole.Group, new() { Name = "Term 7" }));
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Save terms for {AcademicYears.Name(year)}" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync($"Terms saved for {AcademicYears.Name(year)}");
        await Assertions.Expect(Page.Locator("#terms")).ToContainTextAsync("Summer school");
        await Assertions.Expect(Page.Locator("#terms")).ToContainTextAsync(new DateOnly(year + 1, 8, 20).ToString("d MMMM yyyy", EnGb));
        Assert.Equal(7, await Fixture.DbAsync(db => db.SchoolTerms.CountAsync(t => t.AcademicYear == year
            && db.LocalAuthorities.Any(l => l.Id == t.LocalAuthorityId && l.Code == DemoAccounts.YorkCode))));

        var next = year + 1;
        var csv = $"academic_year,term,starts_on,ends_on\n{AcademicYears.Name(next)},Autumn,{next}-09-03,{next}-12-18\n{AcademicYears.Name(next)},INSET,03/09/{next},\n"
            + $"{AcademicYears.Name(next)},Spring,{next + 1}-13-01,{next + 1}-03-31\n";
        await Page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload { Name = "terms.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Nothing imported");
        await Assertions.Expect(Page.Locator("#rejected-rows")).ToContainTextAsync("is not a date");
        await AssertAccessibleAsync();

        csv = csv.Replace($"{next + 1}-13-01", $"{next + 1}-01-06", StringComparison.Ordinal);
        await Page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload { Name = "terms.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync($"Imported {AcademicYears.Name(next)}: 2 terms and 1 INSET days");
        Assert.Equal(["Autumn", "Spring"], await Fixture.DbAsync(db => db.SchoolTerms.Where(t => t.AcademicYear == next
            && db.LocalAuthorities.Any(l => l.Id == t.LocalAuthorityId && l.Code == DemoAccounts.YorkCode)).OrderBy(t => t.StartsOn).Select(t => t.Name).ToListAsync()));
    }

    [Fact]
    public async Task A_practitioners_calendar_shows_school_holidays_as_not_for_term_time_work()
    {
        // The first working day after today outside York's terms (the York team's LA) on which the practitioner
        // works, is not away and is not booked: any of those would show first, whatever the clock.
        var practitioner = await Fixture.PractitionerOfAsync("City of York Council School Improvement Team", 0);
        var (person, absences, booked) = await Fixture.DbAsync(async db => (
            await db.Practitioners.AsNoTracking().SingleAsync(p => p.Id == practitioner),
            await db.PractitionerAbsences.AsNoTracking().Where(a => a.PractitionerId == practitioner).ToListAsync(),
            await db.BookingSlots.AsNoTracking().Where(s => s.PractitionerId == practitioner).Select(s => s.Date).ToListAsync()));
        var d = Fixture.Clock.Today().AddDays(1);
        while (!WorkingDays.IsWorkingDay(d) || !person.WorksOn(d.DayOfWeek) || absences.Any(a => a.Covers(d)) || booked.Contains(d)
               || DemoTerms.Terms(AcademicYears.Of(d)).Any(t => t.StartsOn <= d && d <= t.EndsOn)
               || DemoTerms.InsetDays(AcademicYears.Of(d), DemoAccounts.YorkCode).Contains(d))
            d = d.AddDays(1);

        await SignInAsync(DemoAccounts.YorkProviderTeam);
        await Page.GotoAsync($"/provider/practitioners/{practitioner}?month={d:yyyy-MM}");
        var cell = Page.Locator($"td[data-date='{d:yyyy-MM-dd}']");
        await Assertions.Expect(cell).ToContainTextAsync("School holiday");
        await Assertions.Expect(cell).Not.ToContainTextAsync("Available");
        await AssertAccessibleAsync();
    }

    [Fact]
    public async Task A_Saturday_in_term_is_asked_about_once_then_booked()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        using (var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer))
            await BookingApi.BuyCreditsAsync(buyer, school.Urn, offer.Silver);
        var saturday = Fixture.Clock.Today().AddDays(1);
        while (saturday.DayOfWeek != DayOfWeek.Saturday || !DemoTerms.InTermEverywhere(saturday.AddDays(-1)) || !DemoTerms.InTermEverywhere(saturday.AddDays(2)))
            saturday = saturday.AddDays(1);
        var before = await Fixture.DbAsync(db => db.Bookings.CountAsync(b => b.SchoolId == school.Id));

        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.GotoAsync($"/offers/{offer.Offer}");
        await FillDateAsync("Preferred date (optional)", saturday);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Request booking" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-warning-text")).ToContainTextAsync($"{saturday.ToString("d MMMM yyyy", EnGb)} is a Saturday");
        await AssertAccessibleAsync();
        Assert.Equal(before, await Fixture.DbAsync(db => db.Bookings.CountAsync(b => b.SchoolId == school.Id)));

        await Page.GetByRole(AriaRole.Button, new() { Name = "Request booking" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm booking request" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("requested");
        Assert.Equal(new[] { saturday }, await Fixture.DbAsync(db => db.Bookings.Where(b => b.SchoolId == school.Id).OrderByDescending(b => b.RequestedAt)
            .Select(b => b.PreferredDates).FirstAsync()));
    }
    [Fact]
    public async Task A_day_in_the_school_holidays_is_refused_on_the_booking_form_before_any_check_page()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        var d = Fixture.Clock.Today().AddDays(1);
        while (!WorkingDays.IsWorkingDay(d) || DemoTerms.Terms(AcademicYears.Of(d)).Any(t => t.StartsOn <= d && d <= t.EndsOn)) d = d.AddDays(1);
        var before = await Fixture.DbAsync(db => db.Bookings.CountAsync(b => b.SchoolId == school.Id));

        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.GotoAsync($"/offers/{offer.Offer}");
        await FillDateAsync("Preferred date (optional)", d);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Request booking" }).ClickAsync();

        await Assertions.Expect(Page.Locator("#PreferredDate-error")).ToContainTextAsync($"{d.ToString("d MMMM yyyy", EnGb)} is in the school holidays");
        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("is in the school holidays");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).Not.ToContainTextAsync("Check your booking request");
        await AssertAccessibleAsync();
        Assert.Equal(before, await Fixture.DbAsync(db => db.Bookings.CountAsync(b => b.SchoolId == school.Id)));
    }
}
