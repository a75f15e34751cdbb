using Marketplace.Application.Common;
using System.Net;
using System.Net.Http.Json;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Bookings;
using Marketplace.IntegrationTests.Infrastructure;

namespace Marketplace.IntegrationTests.Bookings;

/// <summary>Practitioners are confirmed only on days they work, not on bank holidays and not while away; their calendar shows it all.</summary>
[Trait("Category", "DateSensitive")]
public class AvailabilityTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private const string Team = "City of York Council School Improvement Team";

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd");

    private async Task<(Guid Id, HttpClient Provider)> RequestedAsync()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var id = (await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 1 })).GetProperty("id").GetGuid();
        return (id, await Fixture.ClientFor(DemoAccounts.YorkProviderTeam));
    }

    private Task<HttpResponseMessage> ConfirmAsync(HttpClient provider, Guid id, Guid practitioner, DateOnly date) =>
        provider.PostJsonAsync($"/api/v1/bookings/{id}/confirm", new { practitionerId = practitioner, dates = new[] { Day(date) } });

    [Fact]
    public async Task Weekends_bank_holidays_and_absences_are_refused_until_the_provider_changes_them()
    {
        var practitioner = await Fixture.PractitionerOfAsync(Team, 7);
        var (id, provider) = await RequestedAsync();
        var today = Fixture.Clock.Today();
        var saturday = today.AddDays(7);
        // A Saturday in term (the Friday before and the Monday after are term days), so only the working week is in question.
        while (saturday.DayOfWeek != DayOfWeek.Saturday || !DemoTerms.InTermEverywhere(saturday.AddDays(-1)) || !DemoTerms.InTermEverywhere(saturday.AddDays(2)))
            saturday = saturday.AddDays(1);
        var bankHoliday = WorkingDays.BankHolidays(today.Year).Concat(WorkingDays.BankHolidays(today.Year + 1))
            .First(d => d > today.AddDays(3) && d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        var away = Fixture.WorkingDay(30);

        var weekend = await (await ConfirmAsync(provider, id, practitioner, saturday)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("booking.unavailable", weekend.GetProperty("code").GetString());
        Assert.Contains("not one of the practitioner's working days", weekend.GetProperty("detail").GetString());
        Assert.Contains("bank holiday", (await (await ConfirmAsync(provider, id, practitioner, bankHoliday)).ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString());

        var url = $"/api/v1/providers/{await ProviderIdAsync()}/practitioners/{practitioner}";
        await (await provider.PostAsJsonAsync(url + "/absences", new { from = Day(away), to = Day(away.AddDays(-3)), reason = "Leave" })).ProblemAsync(HttpStatusCode.BadRequest, "to");
        await (await provider.PostAsJsonAsync(url + "/absences", new { from = Day(away), to = Day(away), reason = "" })).ProblemAsync(HttpStatusCode.BadRequest, "reason");
        var absence = await provider.PostAsJsonAsync(url + "/absences", new { from = Day(away), to = Day(away.AddDays(2)), reason = "Annual leave" });
        await absence.JsonAsync(HttpStatusCode.Created);
        Assert.Contains("away (Annual leave)", (await (await ConfirmAsync(provider, id, practitioner, away)).ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString());

        await (await provider.PutAsJsonAsync(url + "/working-week", new { workingDays = new[] { "Monday", "Funday" } })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await provider.PutAsJsonAsync(url + "/working-week", new { workingDays = Array.Empty<string>() })).ProblemAsync(HttpStatusCode.BadRequest, "workingDays");
        var week = await (await provider.PutAsJsonAsync(url + "/working-week", new { workingDays = new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" } }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Contains("Saturday", week.GetProperty("workingDays").EnumerateArray().Select(d => d.GetString()));
        await (await ConfirmAsync(provider, id, practitioner, saturday)).JsonAsync(HttpStatusCode.OK);

        // An absence over a booked day is refused, naming the booking.
        var reference = (await BookingApi.GetAsync(provider, id)).GetProperty("reference").GetString()!;
        var clash = await (await provider.PostAsJsonAsync(url + "/absences", new { from = Day(saturday.AddDays(-1)), to = Day(saturday), reason = "Training" }))
            .ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(reference, clash.GetProperty("detail").GetString());

        var calendar = await (await provider.GetAsync($"{url}/calendar?from={Day(saturday.AddDays(-6))}&to={Day(away.AddDays(3))}")).JsonAsync(HttpStatusCode.OK);
        var days = calendar.GetProperty("days").EnumerateArray().ToDictionary(d => d.GetProperty("date").GetString()!, d => d);
        Assert.Equal("booked", days[Day(saturday)].GetProperty("status").GetString());
        Assert.Equal(reference, days[Day(saturday)].GetProperty("reference").GetString());
        Assert.Equal("notWorking", days[Day(saturday.AddDays(1))].GetProperty("status").GetString());
        Assert.Equal("away", days[Day(away)].GetProperty("status").GetString());
        var free = Enumerable.Range(1, 10).Select(i => saturday.AddDays(i)).First(WorkingDays.IsWorkingDay);
        Assert.Equal("available", days[Day(free)].GetProperty("status").GetString());
        if (days.TryGetValue(Day(bankHoliday), out var holiday)) Assert.Equal("bankHoliday", holiday.GetProperty("status").GetString());

        var absenceId = calendar.GetProperty("absences").EnumerateArray().Single().GetProperty("id").GetGuid();
        (await provider.DeleteAsync($"{url}/absences/{absenceId}")).EnsureSuccessStatusCode();
        await (await provider.DeleteAsync($"{url}/absences/{absenceId}")).ProblemAsync(HttpStatusCode.NotFound);
        provider.Dispose();
    }

    [Fact]
    public async Task Only_the_provider_sees_its_practitioners_calendars()
    {
        var practitioner = await Fixture.PractitionerOfAsync(Team);
        var url = $"/api/v1/providers/{await ProviderIdAsync()}/practitioners";
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        using var ebor = await Fixture.ClientFor(DemoAccounts.Ebor);
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);

        var list = await (await provider.GetAsync(url)).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(list.EnumerateArray(), p => p.GetProperty("id").GetGuid() == practitioner);
        await (await ebor.GetAsync(url)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await ebor.GetAsync($"{url}/{practitioner}/calendar")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await buyer.GetAsync($"{url}/{practitioner}/calendar")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await provider.GetAsync($"{url}/{Guid.NewGuid()}/calendar")).ProblemAsync(HttpStatusCode.NotFound);
        await (await provider.GetAsync($"{url}/{practitioner}/calendar?from=tomorrow")).ProblemAsync(HttpStatusCode.BadRequest, "from");
        await (await provider.GetAsync($"{url}/{practitioner}/calendar?from=2027-02-01&to=2027-01-01")).ProblemAsync(HttpStatusCode.BadRequest, "to");
        var month = await (await provider.GetAsync($"{url}/{practitioner}/calendar")).JsonAsync(HttpStatusCode.OK);
        Assert.InRange(month.GetProperty("days").GetArrayLength(), 28, 31);
    }

    private Task<Guid> ProviderIdAsync() => Fixture.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
        db.Providers.Where(p => p.Name == Team).Select(p => p.Id)));
}
