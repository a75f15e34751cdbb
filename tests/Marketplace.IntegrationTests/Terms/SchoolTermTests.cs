using System.Net;
using System.Net.Http.Json;
using System.Text;
using Marketplace.Application.Common;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Calendar;
using Marketplace.Domain.Catalogue;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.Terms;

[Trait("Category", "DateSensitive")]
public class SchoolTermTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private const string YorkTeam = "City of York Council School Improvement Team";

    /// <summary>The first working day after today that is outside York's terms (a half term, a holiday or an INSET day).</summary>
    private DateOnly YorkHoliday()
    {
        var d = Fixture.Clock.Today().AddDays(1);
        while (!WorkingDays.IsWorkingDay(d) || TermOfYork(d)) d = d.AddDays(1);
        return d;
    }

    private static bool TermOfYork(DateOnly d) =>
        DemoTerms.Terms(AcademicYears.Of(d)).Any(t => t.StartsOn <= d && d <= t.EndsOn) && !DemoTerms.InsetDays(AcademicYears.Of(d), DemoAccounts.YorkCode).Contains(d);

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd");

    private Task<int> BookingCountAsync(Guid schoolId) => Fixture.DbAsync(db => db.Bookings.CountAsync(b => b.SchoolId == schoolId));

    [Fact]
    public async Task A_booking_in_the_school_holidays_is_refused_with_400_and_nothing_is_written()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        var holiday = YorkHoliday();
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        await BookingApi.BuyCreditsAsync(buyer, school.Urn, offer.Silver);
        var (bookings, wallet) = (await BookingCountAsync(school.Id), await Fixture.WalletBalanceAsync(school.Id));

        var problem = await (await BookingApi.RequestAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 1, preferredDates = new[] { Day(holiday) } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "preferredDates[0]");
        var message = problem.GetProperty("errors").GetProperty("preferredDates[0]")[0].GetString()!;
        Assert.Contains(holiday.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB")), message);
        Assert.Matches("school holidays|INSET day", message);
        Assert.Equal(bookings, await BookingCountAsync(school.Id));
        Assert.Equal(wallet, await Fixture.WalletBalanceAsync(school.Id));

        // A day in term is booked as before.
        await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 1, preferredDates = new[] { Day(Fixture.WorkingDay(2)) } });
    }

    [Fact]
    public async Task The_provider_cannot_confirm_a_day_in_the_school_holidays()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        var practitioner = await Fixture.PractitionerOfAsync(YorkTeam, 3);
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        await BookingApi.BuyCreditsAsync(buyer, school.Urn, offer.Silver);
        var id = (await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 1 })).GetProperty("id").GetGuid();
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);

        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/confirm", new { practitionerId = practitioner, dates = new[] { Day(YorkHoliday()) } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "dates[0]");
        Assert.Equal(BookingStatus.Requested, (await Fixture.DbAsync(db => db.Bookings.SingleAsync(b => b.Id == id))).Status);
        Assert.False(await Fixture.DbAsync(db => db.BookingSlots.AnyAsync(s => s.BookingId == id)));
    }

    [Fact]
    public async Task An_offer_that_can_be_delivered_in_school_holidays_is_booked_in_them()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        await Fixture.DbAsync(db => db.OfferVersions.Where(v => db.Offers.Any(o => o.Id == offer.Offer && o.PublishedVersionId == v.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.DeliveredInSchoolHolidays, true)));
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        await BookingApi.BuyCreditsAsync(buyer, school.Urn, offer.Silver);
        var holiday = YorkHoliday();

        var booked = await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 1, preferredDates = new[] { Day(holiday) } });
        Assert.Equal(Day(holiday), booked.GetProperty("preferredDates")[0].GetString());
    }

    [Fact]
    public async Task A_year_with_no_terms_recorded_is_not_checked()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        var holiday = YorkHoliday();
        await Fixture.DbAsync(async db =>
        {
            var york = await db.LocalAuthorities.Where(l => l.Code == DemoAccounts.YorkCode).Select(l => l.Id).SingleAsync();
            await db.SchoolTerms.Where(t => t.LocalAuthorityId == york && t.AcademicYear == AcademicYears.Of(holiday)).ExecuteDeleteAsync();
            return await db.InsetDays.Where(i => i.LocalAuthorityId == york && i.AcademicYear == AcademicYears.Of(holiday)).ExecuteDeleteAsync();
        });
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        await BookingApi.BuyCreditsAsync(buyer, school.Urn, offer.Silver);

        await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 1, preferredDates = new[] { Day(holiday) } });
    }

    [Fact]
    public async Task A_commissioner_reads_and_replaces_a_year_of_terms_over_the_API()
    {
        using var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        var year = AcademicYears.Of(Fixture.Clock.Today());
        var url = $"/api/v1/las/{DemoAccounts.YorkCode}/terms/{year}";
        var read = await (await commissioner.GetAsync(url)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(6, read.GetProperty("terms").GetArrayLength());
        Assert.Equal(AcademicYears.Name(year), read.GetProperty("academicYear").GetString());

        var body = new
        {
            terms = new[]
            {
                new { name = "Autumn", startsOn = Day(new DateOnly(year, 9, 3)), endsOn = Day(new DateOnly(year, 12, 18)) },
                new { name = "Spring and summer", startsOn = Day(new DateOnly(year + 1, 1, 6)), endsOn = Day(new DateOnly(year + 1, 7, 20)) },
            },
            insetDays = new[] { Day(new DateOnly(year, 9, 3)) },
        };
        var saved = await (await commissioner.PutAsJsonAsync(url, body)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Autumn", "Spring and summer"], saved.GetProperty("terms").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(2, await Fixture.DbAsync(db => db.SchoolTerms.CountAsync(t => t.AcademicYear == year && db.LocalAuthorities.Any(l => l.Id == t.LocalAuthorityId && l.Code == DemoAccounts.YorkCode))));

        // Overlapping terms, a day outside the academic year and a missing name: 400, and the year is unchanged.
        var bad = new
        {
            terms = new object[]
            {
                new { name = "A", startsOn = Day(new DateOnly(year, 9, 3)), endsOn = Day(new DateOnly(year, 12, 18)) },
                new { name = "B", startsOn = Day(new DateOnly(year, 12, 1)), endsOn = Day(new DateOnly(year + 1, 9, 20)) },
                new { name = "", startsOn = Day(new DateOnly(year + 1, 1, 6)), endsOn = Day(new DateOnly(year + 1, 2, 6)) },
            },
            insetDays = Array.Empty<string>(),
        };
        await (await commissioner.PutAsJsonAsync(url, bad)).ProblemAsync(HttpStatusCode.BadRequest, "terms[1].startsOn", "terms[1].endsOn", "terms[2].name");
        Assert.Equal(2, await Fixture.DbAsync(db => db.SchoolTerms.CountAsync(t => t.AcademicYear == year && db.LocalAuthorities.Any(l => l.Id == t.LocalAuthorityId && l.Code == DemoAccounts.YorkCode))));
        await (await commissioner.GetAsync($"/api/v1/las/{DemoAccounts.YorkCode}/terms/1999")).ProblemAsync(HttpStatusCode.BadRequest, "year");
    }

    [Fact]
    public async Task Terms_are_the_LAs_own_other_LAs_get_403_unknown_404_and_anonymous_401()
    {
        var year = AcademicYears.Of(Fixture.Clock.Today());
        using var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        await (await commissioner.GetAsync($"/api/v1/las/{DemoAccounts.NorthYorkshireCode}/terms/{year}")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await commissioner.PutAsJsonAsync($"/api/v1/las/{DemoAccounts.NorthYorkshireCode}/terms/{year}", new { terms = Array.Empty<object>() }))
            .ProblemAsync(HttpStatusCode.Forbidden);
        await (await commissioner.GetAsync($"/api/v1/las/999/terms/{year}")).ProblemAsync(HttpStatusCode.NotFound);
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        await (await buyer.GetAsync($"/api/v1/las/{DemoAccounts.YorkCode}/terms/{year}")).ProblemAsync(HttpStatusCode.Forbidden);
        using var anonymous = Fixture.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/las/{DemoAccounts.YorkCode}/terms/{year}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/v1/las/{DemoAccounts.YorkCode}/terms/import",
            new StringContent("academic_year,term,starts_on,ends_on\n", Encoding.UTF8, "text/csv"))).StatusCode);
        // North Yorkshire's terms are untouched.
        Assert.Equal(6, await Fixture.DbAsync(db => db.SchoolTerms.CountAsync(t => t.AcademicYear == year && db.LocalAuthorities.Any(l => l.Id == t.LocalAuthorityId && l.Code == DemoAccounts.NorthYorkshireCode))));
    }

    [Fact]
    public async Task A_CSV_import_answers_row_by_row_and_imports_each_good_year_whole()
    {
        var year = AcademicYears.Of(Fixture.Clock.Today()) + 1;
        var (y, n) = (AcademicYears.Name(year), AcademicYears.Name(year + 1));
        var csv = string.Join('\n',
            "academic_year,term,starts_on,ends_on",
            $"{y},Autumn,{year}-09-02,{year}-12-17",
            $"{y},Spring,{year + 1}-01-05,{year + 1}-03-26",
            $"{y},Summer,{year + 1}-04-12,{year + 1}-07-21",
            $"{y},INSET,{year}-09-02,",
            $"{n},Autumn,{year + 1}-09-02,{year + 1}-12-17",
            $"{n},Spring,not a date,{year + 2}-03-26",
            $"{n},Summer,{year + 2}-04-12,{year + 3}-07-21",
            "2026/28,Autumn,2026-09-02,2026-12-17");
        using var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        var before = await Fixture.DbAsync(db => db.SchoolTerms.CountAsync(t => t.AcademicYear == year + 1));

        var result = await (await commissioner.PostAsync($"/api/v1/las/{DemoAccounts.YorkCode}/terms/import", new StringContent(csv, Encoding.UTF8, "text/csv")))
            .JsonAsync(HttpStatusCode.OK);

        Assert.Equal(8, result.GetProperty("rows").GetInt32());
        Assert.Equal([y], result.GetProperty("years").EnumerateArray().Select(e => e.GetString()));
        var rejected = result.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("row").GetInt32(), r => string.Join("; ", r.GetProperty("errors").EnumerateArray().Select(e => e.GetString())));
        Assert.Equal([6, 7, 8, 9], rejected.Keys.Order());
        Assert.Contains("'not a date' is not a date", rejected[7]);
        Assert.Contains("The last day must be between", rejected[8]);
        Assert.Contains("Not imported", rejected[6]);
        Assert.Contains("is not an academic year", rejected[9]);
        var york = await Fixture.DbAsync(db => db.LocalAuthorities.Where(l => l.Code == DemoAccounts.YorkCode).Select(l => l.Id).SingleAsync());
        Assert.Equal(["Autumn", "Spring", "Summer"], await Fixture.DbAsync(db => db.SchoolTerms.Where(t => t.LocalAuthorityId == york && t.AcademicYear == year)
            .OrderBy(t => t.StartsOn).Select(t => t.Name).ToListAsync()));
        Assert.Equal([new DateOnly(year, 9, 2)], await Fixture.DbAsync(db => db.InsetDays.Where(i => i.LocalAuthorityId == york && i.AcademicYear == year).Select(i => i.Date).ToListAsync()));
        // The next year had a bad row: what was recorded for it stays.
        Assert.Equal(before, await Fixture.DbAsync(db => db.SchoolTerms.CountAsync(t => t.AcademicYear == year + 1)));
    }
}
