using System.Net;
using System.Net.Http.Json;
using System.Text;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Bookings;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Hostile;

/// <summary>
/// The inputs the outside probe turned into 500s, and the rules it showed missing: each is now a 400 (or a 409
/// for a business rule) naming what is wrong, and nothing is stored.
/// </summary>
public class InputRuleTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private static StringContent Json(string raw) => new(raw, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_control_character_or_lone_surrogate_in_any_text_is_a_400_naming_the_field()
    {
        using var anonymous = Fixture.Client();
        await (await anonymous.GetAsync("/api/v1/offers?q=a%00b")).ProblemAsync(HttpStatusCode.BadRequest, "q");
        await (await anonymous.PostAsync("/api/v1/auth/login", Json("{\"email\": \"a\\u0000b@test.example\", \"password\": \"x\"}")))
            .ProblemAsync(HttpStatusCode.BadRequest, "email");

        var school = await Fixture.BuyerSchoolAsync();
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        await (await buyer.GetAsync("/api/v1/schools?q=a%01b")).ProblemAsync(HttpStatusCode.BadRequest, "q");
        var purchase = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{school.Urn}/credits/purchases")
        {
            Content = Json("{\"credits\": 1, \"purchaseOrderNumber\": \"PO\\u00001\"}"),
        };
        purchase.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        await (await buyer.SendAsync(purchase)).ProblemAsync(HttpStatusCode.BadRequest, "purchaseOrderNumber");

        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var body = System.Text.Json.JsonSerializer.Serialize(OfferBodies.Valid("Placeholder"), System.Text.Json.JsonSerializerOptions.Web)
            .Replace("\"Placeholder\"", "\"Lone \\ud800 surrogate\"");
        await (await provider.PostAsync("/api/v1/offers", Json(body))).ProblemAsync(HttpStatusCode.BadRequest, "title");

        using var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        await (await commissioner.PutAsync("/api/v1/las/816/subscription-policy", Json("{\"concern\": {\"payer\": \"fund\", \"fundName\": \"SCC\\u0000\"}}")))
            .ProblemAsync(HttpStatusCode.BadRequest, "concern.fundName");
        Assert.False(await Fixture.DbAsync(db => db.OfferVersions.AnyAsync(v => v.Title.Contains("surrogate"))));
    }

    [Fact]
    public async Task A_control_character_sent_through_a_command_is_refused_by_the_command_pipeline_itself()
    {
        // Pages and jobs send commands without passing the HTTP guard: the pipeline keeps the same rule.
        var school = await Fixture.BuyerSchoolAsync();
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<Mediator.IMediator>();
        var e = await Assert.ThrowsAsync<FluentValidation.ValidationException>(async () => await mediator.Send(
            new Marketplace.Application.Features.Credits.PurchaseCredits.Command(school.Urn, 1, "PO\u00001", Guid.NewGuid().ToString())));
        Assert.Contains(e.Errors, f => f.PropertyName == "PurchaseOrderNumber");
    }

    [Fact]
    public async Task The_catalogue_page_answers_a_control_character_in_its_search_with_a_message_not_an_error_page()
    {
        // The page sends the same query as the API, without the API's guard: the command pipeline refuses it.
        using var anonymous = Fixture.Client();
        var response = await anonymous.GetAsync("/offers?q=a%00b");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(Marketplace.Domain.Common.StorableText.RefusedMessage, html);
    }

    [Fact]
    public async Task Sign_in_with_a_null_email_is_a_400()
    {
        using var anonymous = Fixture.Client();
        await (await anonymous.PostAsync("/api/v1/auth/login", Json("{\"email\": null, \"password\": \"x\"}"))).ProblemAsync(HttpStatusCode.BadRequest, "email");
    }

    [Fact]
    public async Task Dates_outside_the_service_range_are_400_field_errors_in_queries_and_bodies()
    {
        var school = await Fixture.BuyerSchoolAsync();
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        foreach (var query in new[] { "to=9999-12-31", "to=0001-01-01", "from=0001-01-01", "from=1999-12-31&to=2000-01-31" })
        {
            var field = query.StartsWith("to") ? "to" : "from";
            await (await buyer.GetAsync($"/api/v1/schools/{school.Urn}/credits/statement?{query}")).ProblemAsync(HttpStatusCode.BadRequest, field);
            await (await buyer.GetAsync($"/api/v1/schools/{school.Urn}/credits/statement.csv?{query}")).ProblemAsync(HttpStatusCode.BadRequest, field);
        }

        var (offer, _, practitioner, _) = await Fixture.YorkTeamDayAsync();
        var provider = await Fixture.DbAsync(db => db.Practitioners.Where(p => p.Id == practitioner).Select(p => p.ProviderId).SingleAsync());
        using var team = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var calendar = $"/api/v1/providers/{provider}/practitioners/{practitioner}/calendar";
        await (await team.GetAsync($"{calendar}?from=0001-01-01")).ProblemAsync(HttpStatusCode.BadRequest, "from");
        await (await team.GetAsync($"{calendar}?to=9999-12-31")).ProblemAsync(HttpStatusCode.BadRequest, "to");
        // Within the range but with 'to' alone: the span is checked from the default start (this month), not skipped.
        await (await team.GetAsync($"{calendar}?to=2099-12-31")).ProblemAsync(HttpStatusCode.BadRequest, "to");

        await BookingApi.BuyCreditsAsync(buyer, school.Urn, 20);
        var booking = (await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer, quantity = 1 })).GetProperty("id").GetGuid();
        await (await team.PostJsonAsync($"/api/v1/bookings/{booking}/confirm", new { practitionerId = practitioner, dates = new[] { "9999-12-31" } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "dates[0]");
        Assert.Equal(BookingStatus.Requested, await Fixture.DbAsync(db => db.Bookings.Where(b => b.Id == booking).Select(b => b.Status).SingleAsync()));
    }

    [Fact]
    public async Task Preferred_dates_outside_the_service_range_are_refused()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var (offer, _, _, _) = await Fixture.YorkTeamDayAsync();
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var before = await Fixture.DbAsync(db => db.Bookings.CountAsync());
        foreach (var date in new[] { "1999-12-31", "2100-01-01", "9999-12-31" })
            await (await BookingApi.RequestAsync(buyer, school.Urn, new { offerId = offer, quantity = 1, preferredDates = new[] { date } }))
                .ProblemAsync(HttpStatusCode.BadRequest, "preferredDates[0]");
        Assert.Equal(before, await Fixture.DbAsync(db => db.Bookings.CountAsync()));
    }

    [Fact]
    public async Task An_Ofsted_import_with_a_multipart_type_and_a_body_that_is_not_multipart_is_a_400()
    {
        using var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        foreach (var contentType in new[] { "multipart/form-data; boundary=xyz", "multipart/form-data" })
        {
            var content = new ByteArrayContent("URN,Inspection date,Grade\n100001,2024-01-10,2\n"u8.ToArray());
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            await (await commissioner.PostAsync("/api/v1/las/816/ofsted-outcomes/import", content)).ProblemAsync(HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task A_malformed_deeply_nested_or_oversized_JSON_body_is_a_4xx_problem()
    {
        var school = await Fixture.BuyerSchoolAsync();
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var url = $"/api/v1/schools/{school.Urn}/booking-settings";
        await (await buyer.PutAsync(url, Json("{\"requiresPurchaseOrder\": "))).ProblemAsync(HttpStatusCode.BadRequest);
        await (await buyer.PutAsync(url, Json(new string('[', 10_000) + new string(']', 10_000)))).ProblemAsync(HttpStatusCode.BadRequest);
        await (await buyer.PutAsync(url, Json("{\"padding\": \"" + new string('x', 2_000_000) + "\"}"))).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        await (await buyer.PutAsync(url, new StringContent("{\"requiresPurchaseOrder\": true}", Encoding.UTF8, "text/plain"))).ProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Delivery_is_recorded_only_for_the_dates_the_booking_is_confirmed_for()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var (offer, _, practitioner, _) = await Fixture.YorkTeamDayAsync();
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        await BookingApi.BuyCreditsAsync(buyer, school.Urn, 20);
        var id = (await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer, quantity = 1 })).GetProperty("id").GetGuid();
        var date = Fixture.WorkingDay(10);
        using (var team = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam))
            await BookingApi.ConfirmAsync(team, id, practitioner, date);

        Fixture.SetToday(date.AddDays(3));
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        object Delivered(params string[] dates) => new { dates, quantity = 1, minutes = 300, note = "Visit" };
        // Before the confirmed date (today's probe: confirmed for a date, delivered weeks earlier), another date, the calendar's start.
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/deliver", Delivered(date.AddDays(-1).ToString("yyyy-MM-dd")))).ProblemAsync(HttpStatusCode.Conflict);
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/deliver", Delivered(date.ToString("yyyy-MM-dd"), date.AddDays(1).ToString("yyyy-MM-dd"))))
            .ProblemAsync(HttpStatusCode.Conflict);
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/deliver", Delivered("0001-01-01"))).ProblemAsync(HttpStatusCode.BadRequest, "dates[0]");
        Assert.Equal(BookingStatus.Confirmed, await Fixture.DbAsync(db => db.Bookings.Where(b => b.Id == id).Select(b => b.Status).SingleAsync()));

        var delivered = await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/deliver", Delivered(date.ToString("yyyy-MM-dd")))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("delivered", delivered.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_package_field_sent_as_null_is_a_400_and_nothing_is_saved()
    {
        using var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        var year = Fixture.Clock.GetLocalNow().Year + 1;
        var url = $"/api/v1/las/816/packages/{year}/gold";
        var before = await PackageAsync(year);
        foreach (var field in new[] { "discountBasisPoints", "namedLinkAdviser", "priorityBooking", "noticeDays", "maxTermYears", "adviserSessions" })
        {
            var body = $"{{\"annualFeePence\": 300000, \"perPupilPence\": 950, \"creditsIncluded\": 50, \"{field}\": null}}";
            await (await commissioner.PutAsync(url, Json(body))).ProblemAsync(HttpStatusCode.BadRequest, field);
        }
        Assert.Equal(before, await PackageAsync(year));
        // Left out, a field still takes its default.
        await (await commissioner.PutAsJsonAsync(url, new { annualFeePence = 300000, perPupilPence = 950, creditsIncluded = 50 })).JsonAsync(HttpStatusCode.OK);
    }

    private Task<string?> PackageAsync(int year) => Fixture.DbAsync(async db =>
        (await db.TierPackages.AsNoTracking().Where(p => p.Year == year && p.Tier == Marketplace.Domain.Catalogue.Tier.Gold
                && db.LocalAuthorities.Any(l => l.Id == p.LocalAuthorityId && l.Code == 816)).ToListAsync())
            .Select(p => System.Text.Json.JsonSerializer.Serialize(p.Terms)).SingleOrDefault());

    [Fact]
    public async Task Working_days_are_the_seven_day_names_and_nothing_else()
    {
        var (_, _, practitioner, _) = await Fixture.YorkTeamDayAsync();
        var provider = await Fixture.DbAsync(db => db.Practitioners.Where(p => p.Id == practitioner).Select(p => p.ProviderId).SingleAsync());
        using var team = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var url = $"/api/v1/providers/{provider}/practitioners/{practitioner}/working-week";
        foreach (var day in new[] { "7", "1", "-1", "Monday, Friday", "Mon", " Monday" })
            await (await team.PutAsJsonAsync(url, new { workingDays = new[] { day } })).ProblemAsync(HttpStatusCode.BadRequest, "workingDays[0]");
        var saved = await (await team.PutAsJsonAsync(url, new { workingDays = new[] { "monday", "Friday" } })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { "Monday", "Friday" }, saved.GetProperty("workingDays").EnumerateArray().Select(d => d.GetString()!).ToArray());
    }
}
