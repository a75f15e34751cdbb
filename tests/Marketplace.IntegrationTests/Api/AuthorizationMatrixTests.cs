using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Data;
using Marketplace.Application.DemoWorld;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Api;

/// <summary>
/// Every API route, called by every role and by an anonymous caller, with the outcome each must get.
/// A route the matrix does not list fails <see cref="Every_API_route_is_in_the_matrix"/>, so a new
/// endpoint cannot ship without deciding who may call it.
/// </summary>
public class AuthorizationMatrixTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    public const string Anonymous = "anonymous";
    public const string Buyer = DemoAccounts.YorkBuyer;
    public const string Provider = DemoAccounts.YorkProviderTeam;
    public const string Commissioner = DemoAccounts.YorkCommissioner;
    public const string Admin = DemoAccounts.Admin;
    private static readonly string[] Callers = [Anonymous, Buyer, Provider, Commissioner, Admin];

    private sealed record Rule(string Method, string Route, string Url, Func<string, object?>? Body, Dictionary<string, int> Expected);

    private static Dictionary<string, int> Outcomes(int anonymous, int buyer, int provider, int commissioner, int admin) => new()
    {
        [Anonymous] = anonymous, [Buyer] = buyer, [Provider] = provider, [Commissioner] = commissioner, [Admin] = admin,
    };

    // {draft}: a draft of York's provider team; {pending}: one of its offers awaiting approval;
    // {published}: a published offer; {provider}: York's provider team; {urn}: the demo buyer's school.
    private static readonly Rule[] Rules =
    [
        new("GET", "/api/v1/offers", "/api/v1/offers", null, Outcomes(200, 200, 200, 200, 200)),
        new("GET", "/api/v1/offers/{id:guid}", "/api/v1/offers/{published}", null, Outcomes(200, 200, 200, 200, 200)),
        new("GET", "/api/v1/offers/{id:guid}", "/api/v1/offers/{draft}", null, Outcomes(404, 404, 200, 200, 200)),
        new("POST", "/api/v1/offers", "/api/v1/offers?providerId={provider}", _ => OfferBodies.Valid("Matrix offer"), Outcomes(401, 403, 201, 403, 201)),
        new("PUT", "/api/v1/offers/{id:guid}", "/api/v1/offers/{draft}", _ => OfferBodies.Valid("Matrix edit"), Outcomes(401, 404, 200, 403, 200)),
        new("POST", "/api/v1/offers/{id:guid}/submit", "/api/v1/offers/{draft}/submit", null, Outcomes(401, 404, 200, 403, 200)),
        new("POST", "/api/v1/offers/{id:guid}/withdraw", "/api/v1/offers/{draft}/withdraw", null, Outcomes(401, 404, 200, 403, 200)),
        new("POST", "/api/v1/offers/{id:guid}/approve", "/api/v1/offers/{pending}/approve", null, Outcomes(401, 404, 403, 200, 200)),
        new("POST", "/api/v1/offers/{id:guid}/reject", "/api/v1/offers/{pending}/reject", _ => new { reason = "Needs service standards" }, Outcomes(401, 404, 403, 200, 200)),
        new("GET", "/api/v1/providers", "/api/v1/providers", null, Outcomes(401, 200, 200, 200, 200)),
        new("GET", "/api/v1/providers/{id:guid}", "/api/v1/providers/{provider}", null, Outcomes(401, 200, 200, 200, 200)),
        new("GET", "/api/v1/providers/{id:guid}/offers", "/api/v1/providers/{provider}/offers", null, Outcomes(401, 403, 200, 200, 200)),
        new("GET", "/api/v1/schools", "/api/v1/schools", null, Outcomes(401, 200, 403, 200, 200)),
        new("GET", "/api/v1/schools/{urn:int}", "/api/v1/schools/{urn}", null, Outcomes(401, 200, 404, 200, 200)),
        new("GET", "/api/v1/schools/{urn:int}/credits", "/api/v1/schools/{urn}/credits", null, Outcomes(401, 200, 404, 200, 200)),
        new("POST", "/api/v1/schools/{urn:int}/credits/purchases", "/api/v1/schools/{urn}/credits/purchases", _ => new { credits = 5 }, Outcomes(401, 201, 404, 403, 201)),
        new("GET", "/api/v1/schools/{urn:int}/credits/purchase-requests", "/api/v1/schools/{urn}/credits/purchase-requests", null, Outcomes(401, 200, 404, 200, 200)),
        new("POST", "/api/v1/schools/{urn:int}/credits/purchase-requests/{id:guid}/approve", "/api/v1/schools/{urn}/credits/purchase-requests/00000000-0000-0000-0000-000000000001/approve", null, Outcomes(401, 404, 404, 403, 404)),
        new("POST", "/api/v1/schools/{urn:int}/credits/purchase-requests/{id:guid}/decline", "/api/v1/schools/{urn}/credits/purchase-requests/00000000-0000-0000-0000-000000000001/decline", _ => new { reason = "Matrix" }, Outcomes(401, 404, 404, 403, 404)),
        new("GET", "/api/v1/schools/{urn:int}/credits/statement", "/api/v1/schools/{urn}/credits/statement", null, Outcomes(401, 200, 404, 200, 200)),
        new("GET", "/api/v1/schools/{urn:int}/credits/statement.csv", "/api/v1/schools/{urn}/credits/statement.csv", null, Outcomes(401, 200, 404, 200, 200)),
        new("GET", "/api/v1/schools/{urn:int}/subscription", "/api/v1/schools/{urn}/subscription", null, Outcomes(401, 200, 404, 200, 200)),
        // Only the school's own buyers who may commit spend change its subscription; the demo school already has one (409).
        new("POST", "/api/v1/schools/{urn:int}/subscription", "/api/v1/schools/{urn}/subscription", _ => new { tier = "gold" }, Outcomes(401, 409, 404, 403, 403)),
        new("POST", "/api/v1/schools/{urn:int}/subscription/upgrade", "/api/v1/schools/{urn}/subscription/upgrade", _ => new { tier = "gold" }, Outcomes(401, 200, 404, 403, 403)),
        new("POST", "/api/v1/schools/{urn:int}/subscription/downgrade", "/api/v1/schools/{urn}/subscription/downgrade", _ => new { tier = "bronze" }, Outcomes(401, 200, 404, 403, 403)),
        new("POST", "/api/v1/schools/{urn:int}/subscription/notice", "/api/v1/schools/{urn}/subscription/notice", _ => new { reason = "Matrix" }, Outcomes(401, 200, 404, 403, 403)),
        new("POST", "/api/v1/schools/{urn:int}/subscription/renewal/confirm", "/api/v1/schools/{urn}/subscription/renewal/confirm", _ => new { }, Outcomes(401, 409, 404, 403, 403)),
        new("POST", "/api/v1/schools/{urn:int}/subscription/renewal/decline", "/api/v1/schools/{urn}/subscription/renewal/decline", _ => new { reason = "Matrix" }, Outcomes(401, 409, 404, 403, 403)),
        new("GET", "/api/v1/las/{code:int}/packages", "/api/v1/las/816/packages", null, Outcomes(401, 403, 403, 200, 200)),
        new("PUT", "/api/v1/las/{code:int}/packages/{year:int}/{tier}", "/api/v1/las/816/packages/{nextYear}/gold", _ => new { annualFeePence = 3_000_00, perPupilPence = 9_50, creditsIncluded = 50 }, Outcomes(401, 403, 403, 200, 200)),
        new("GET", "/api/v1/las/{code:int}/subscriptions", "/api/v1/las/816/subscriptions", null, Outcomes(401, 403, 403, 200, 200)),
        new("GET", "/api/v1/las/{code:int}/subscription-policy", "/api/v1/las/816/subscription-policy", null, Outcomes(401, 403, 403, 200, 200)),
        new("PUT", "/api/v1/las/{code:int}/subscription-policy", "/api/v1/las/816/subscription-policy", _ => new { concern = new { payer = "fund", fundName = "SCC Fund" }, renewalWindowDays = 60 }, Outcomes(401, 403, 403, 200, 200)),
        new("PUT", "/api/v1/las/{code:int}/schools/{urn:int}/subscription/payer", "/api/v1/las/816/schools/{urn}/subscription/payer", _ => new { payer = "school" }, Outcomes(401, 403, 403, 200, 200)),
        new("GET", "/api/v1/las/{code:int}/concern", "/api/v1/las/816/concern", null, Outcomes(401, 403, 403, 200, 200)),
        new("POST", "/api/v1/las/{code:int}/ofsted-outcomes", "/api/v1/las/816/ofsted-outcomes", _ => new { urn = "{urn}", inspectionDate = "2024-01-10", grade = 2 }, Outcomes(401, 403, 403, 200, 200)),
        new("POST", "/api/v1/las/{code:int}/ofsted-outcomes/import", "/api/v1/las/816/ofsted-outcomes/import", _ => "URN,Inspection date,Grade\n{urn},2024-01-10,2\n", Outcomes(401, 403, 403, 200, 200)),
        new("POST", "/api/v1/las/{code:int}/schools/{urn:int}/risk-flag", "/api/v1/las/816/schools/{urn}/risk-flag", _ => new { reasons = new[] { "inconsistentTeaching" } }, Outcomes(401, 403, 403, 200, 200)),
        // The demo school is not flagged nor causing concern, so clearing and overriding are conflicts for those allowed to try.
        new("POST", "/api/v1/las/{code:int}/schools/{urn:int}/risk-flag/clear", "/api/v1/las/816/schools/{urn}/risk-flag/clear", _ => new { reason = "Matrix" }, Outcomes(401, 403, 403, 409, 409)),
        new("POST", "/api/v1/las/{code:int}/schools/{urn:int}/concern/override", "/api/v1/las/816/schools/{urn}/concern/override", _ => new { reason = "Matrix" }, Outcomes(401, 403, 403, 409, 409)),
        new("POST", "/api/v1/las/{code:int}/schools/{urn:int}/concern/lift-override", "/api/v1/las/816/schools/{urn}/concern/lift-override", null, Outcomes(401, 403, 403, 409, 409)),
        new("GET", "/api/v1/las/{code:int}/audit", "/api/v1/las/816/audit", null, Outcomes(401, 403, 403, 200, 200)),
        new("POST", "/api/v1/schools/{urn:int}/bookings", "/api/v1/schools/{urn}/bookings", _ => new { offerId = "{bookable}", quantity = 1 }, Outcomes(401, 201, 404, 403, 201)),
        new("GET", "/api/v1/schools/{urn:int}/bookings", "/api/v1/schools/{urn}/bookings", null, Outcomes(401, 200, 404, 200, 200)),
        new("GET", "/api/v1/providers/{id:guid}/bookings", "/api/v1/providers/{provider}/bookings", null, Outcomes(401, 403, 200, 403, 200)),
        new("GET", "/api/v1/bookings/{id:guid}", "/api/v1/bookings/{booking}", null, Outcomes(401, 200, 200, 200, 200)),
        new("POST", "/api/v1/bookings/{id:guid}/confirm", "/api/v1/bookings/{booking}/confirm", _ => new { practitionerId = "{practitioner}", dates = new[] { "{termDay}" } }, Outcomes(401, 403, 200, 403, 200)),
        new("POST", "/api/v1/bookings/{id:guid}/decline", "/api/v1/bookings/{booking}/decline", _ => new { reason = "Matrix" }, Outcomes(401, 403, 200, 403, 200)),
        new("POST", "/api/v1/bookings/{id:guid}/cancel", "/api/v1/bookings/{booking}/cancel", _ => new { reason = "Matrix" }, Outcomes(401, 200, 403, 403, 200)),
        // The fixture booking is only requested, so delivery and sign-off are conflicts for those allowed to try.
        new("POST", "/api/v1/bookings/{id:guid}/deliver", "/api/v1/bookings/{booking}/deliver", _ => new { dates = new[] { "2020-01-06" }, quantity = 1, minutes = 60, note = "Matrix" }, Outcomes(401, 403, 409, 403, 409)),
        new("POST", "/api/v1/bookings/{id:guid}/sign-off", "/api/v1/bookings/{booking}/sign-off", null, Outcomes(401, 409, 403, 403, 403)),
        new("POST", "/api/v1/bookings/{id:guid}/dispute", "/api/v1/bookings/{booking}/dispute", _ => new { reason = "Matrix" }, Outcomes(401, 409, 403, 403, 403)),
        // Resolving, changing and waiving need a disputed or confirmed booking: those allowed to try get 409; an unknown change is 404.
        new("POST", "/api/v1/bookings/{id:guid}/resolve", "/api/v1/bookings/{booking}/resolve", _ => new { chargedQuantity = 0, note = "Matrix" }, Outcomes(401, 403, 403, 409, 409)),
        new("POST", "/api/v1/bookings/{id:guid}/changes", "/api/v1/bookings/{booking}/changes", _ => new { dates = new[] { "{nextTermDay}" }, reason = "Matrix" }, Outcomes(401, 409, 409, 403, 409)),
        new("POST", "/api/v1/bookings/{id:guid}/changes/{changeId:guid}/accept", "/api/v1/bookings/{booking}/changes/00000000-0000-0000-0000-000000000001/accept", null, Outcomes(401, 404, 404, 404, 404)),
        new("POST", "/api/v1/bookings/{id:guid}/changes/{changeId:guid}/reject", "/api/v1/bookings/{booking}/changes/00000000-0000-0000-0000-000000000001/reject", null, Outcomes(401, 404, 404, 404, 404)),
        new("POST", "/api/v1/bookings/{id:guid}/changes/{changeId:guid}/withdraw", "/api/v1/bookings/{booking}/changes/00000000-0000-0000-0000-000000000001/withdraw", null, Outcomes(401, 404, 404, 404, 404)),
        new("POST", "/api/v1/bookings/{id:guid}/waive-48-hour-rule", "/api/v1/bookings/{booking}/waive-48-hour-rule", null, Outcomes(401, 403, 409, 403, 409)),
        new("GET", "/api/v1/schools/{urn:int}/booking-settings", "/api/v1/schools/{urn}/booking-settings", null, Outcomes(401, 200, 404, 200, 200)),
        new("PUT", "/api/v1/schools/{urn:int}/booking-settings", "/api/v1/schools/{urn}/booking-settings", _ => new { requiresPurchaseOrder = false }, Outcomes(401, 200, 404, 403, 403)),
        new("GET", "/api/v1/las/{code:int}/disputes", "/api/v1/las/816/disputes", null, Outcomes(401, 403, 403, 200, 200)),
        new("GET", "/api/v1/providers/{id:guid}/practitioners", "/api/v1/providers/{provider}/practitioners", null, Outcomes(401, 403, 200, 403, 200)),
        new("GET", "/api/v1/providers/{id:guid}/practitioners/{practitionerId:guid}/calendar", "/api/v1/providers/{provider}/practitioners/{practitioner}/calendar", null, Outcomes(401, 403, 200, 403, 200)),
        new("PUT", "/api/v1/providers/{id:guid}/practitioners/{practitionerId:guid}/working-week", "/api/v1/providers/{provider}/practitioners/{practitioner}/working-week",
            _ => new { workingDays = new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday" } }, Outcomes(401, 403, 200, 403, 200)),
        new("POST", "/api/v1/providers/{id:guid}/practitioners/{practitionerId:guid}/absences", "/api/v1/providers/{provider}/practitioners/{practitioner}/absences",
            _ => new { from = "2099-03-02", to = "2099-03-03", reason = "Matrix" }, Outcomes(401, 403, 201, 403, 201)),
        new("DELETE", "/api/v1/providers/{id:guid}/practitioners/{practitionerId:guid}/absences/{absenceId:guid}",
            "/api/v1/providers/{provider}/practitioners/{practitioner}/absences/00000000-0000-0000-0000-000000000001", null, Outcomes(401, 403, 404, 403, 404)),
        new("GET", "/api/v1/las", "/api/v1/las", null, Outcomes(200, 200, 200, 200, 200)),
        // A quote changes nothing and answers exactly as its command does: only the school's own buyers upgrade (admins
        // and its LA's commissioners may see the school but not change its subscription: 403).
        new("GET", "/api/v1/schools/{urn:int}/subscription/upgrade-quote", "/api/v1/schools/{urn}/subscription/upgrade-quote?tier=gold", null, Outcomes(401, 200, 404, 403, 403)),
        // {booking} is a request: the school (or an admin) may withdraw it free; the provider declines a request rather than cancels it (403).
        new("GET", "/api/v1/bookings/{id:guid}/cancellation-quote", "/api/v1/bookings/{booking}/cancellation-quote", null, Outcomes(401, 200, 403, 403, 200)),
        // School terms are the LA's own: its commissioners and admins.
        new("GET", "/api/v1/las/{code:int}/terms/{year:int}", "/api/v1/las/816/terms/2030", null, Outcomes(401, 403, 403, 200, 200)),
        new("PUT", "/api/v1/las/{code:int}/terms/{year:int}", "/api/v1/las/816/terms/2030",
            _ => new { terms = new[] { new { name = "Autumn 1", startsOn = "2030-09-02", endsOn = "2030-10-18" } }, insetDays = new[] { "2030-09-02" } }, Outcomes(401, 403, 403, 200, 200)),
        new("POST", "/api/v1/las/{code:int}/terms/import", "/api/v1/las/816/terms/import",
            _ => "academic_year,term,starts_on,ends_on\n2030/31,Autumn 1,2030-09-02,2030-10-18\n", Outcomes(401, 403, 403, 200, 200)),
        new("GET", "/api/v1/las/{code:int}", "/api/v1/las/816", null, Outcomes(200, 200, 200, 200, 200)),
        new("GET", "/api/v1/las/{code:int}/approvals", "/api/v1/las/816/approvals", null, Outcomes(401, 403, 403, 200, 200)),
        new("GET", "/api/v1/me", "/api/v1/me", null, Outcomes(401, 200, 200, 200, 200)),
        new("POST", "/api/v1/auth/login", "/api/v1/auth/login", caller => new { email = caller == Anonymous ? Buyer : caller, password = DemoAccounts.Password }, Outcomes(200, 200, 200, 200, 200)),
        new("POST", "/api/v1/auth/refresh", "/api/v1/auth/refresh", _ => new { refreshToken = "not-a-token" }, Outcomes(401, 401, 401, 401, 401)),
        new("POST", "/api/v1/auth/logout", "/api/v1/auth/logout", null, Outcomes(401, 204, 204, 204, 204)),
        new("GET", "/api/v1/users", "/api/v1/users?q=york", null, Outcomes(401, 403, 403, 403, 200)),
        new("POST", "/api/v1/users/{id:guid}/remove-access", "/api/v1/users/00000000-0000-0000-0000-000000000001/remove-access", _ => new { reason = "Matrix" }, Outcomes(401, 403, 403, 403, 404)),
        new("POST", "/api/v1/users/{id:guid}/restore-access", "/api/v1/users/00000000-0000-0000-0000-000000000001/restore-access", _ => new { reason = "Matrix" }, Outcomes(401, 403, 403, 403, 404)),
    ];

    public static TheoryData<string, string, string> Cells()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var rule in Rules)
        foreach (var caller in Callers)
            data.Add($"{rule.Method} {rule.Url}", caller, rule.Expected[caller].ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Caller_gets_the_expected_status(string call, string caller, string expectedStatus)
    {
        var rule = Rules.Single(r => $"{r.Method} {r.Url}" == call);
        var url = await ResolveAsync(rule.Url);
        using var client = caller == Anonymous ? Fixture.Client() : await Fixture.ClientFor(caller);
        var request = new HttpRequestMessage(new HttpMethod(rule.Method), url);
        var body = rule.Body?.Invoke(caller);
        if (body is string csv) request.Content = new StringContent(await ResolveAsync(csv), System.Text.Encoding.UTF8, "text/csv");
        // JSON bodies may carry {urn}; the API reads numbers sent as strings (web defaults).
        else if (body is not null) request.Content = new StringContent((await ResolveAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web))), System.Text.Encoding.UTF8, "application/json");
        if (rule.Url.Contains("/purchases") || rule.Url.EndsWith("/bookings")) request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var response = await client.SendAsync(request);

        Assert.True((int)response.StatusCode == int.Parse(expectedStatus),
            $"{caller} {call} → {(int)response.StatusCode}, expected {expectedStatus}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public void Every_API_route_is_in_the_matrix()
    {
        var covered = Rules.Select(r => $"{r.Method} {r.Route}").ToHashSet();
        var routes = Fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .ToHashSet();

        Assert.NotEmpty(routes);
        Assert.Empty(routes.Except(covered));
        Assert.Empty(covered.Except(routes));
    }

    private async Task<string> ResolveAsync(string url)
    {
        if (!url.Contains('{')) return url;
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var provider = await db.Providers.Where(p => p.Name == "City of York Council School Improvement Team").Select(p => p.Id).SingleAsync();
        var published = await db.Offers.Where(o => o.PublishedVersionId != null).OrderBy(o => o.Id).Select(o => o.Id).FirstAsync();
        var buyerSchool = await db.Users.Where(u => u.Email == DemoAccounts.YorkBuyer).Select(u => u.SchoolId).SingleAsync();
        var urn = await db.Schools.Where(s => s.Id == buyerSchool).Select(s => s.Urn).SingleAsync();

        if (url.Contains("{draft}") || url.Contains("{pending}"))
        {
            using var team = await Fixture.ClientFor(Provider);
            var created = await (await team.PostAsJsonAsync("/api/v1/offers", OfferBodies.Valid("Matrix fixture offer"))).JsonAsync(HttpStatusCode.Created);
            var id = created.GetProperty("id").GetGuid();
            if (url.Contains("{pending}")) (await team.PostAsync($"/api/v1/offers/{id}/submit", null)).EnsureSuccessStatusCode();
            url = url.Replace("{draft}", id.ToString()).Replace("{pending}", id.ToString());
        }

        if (url.Contains("{bookable}") || url.Contains("{booking}") || url.Contains("{practitioner}"))
        {
            var bookable = await db.Offers.Where(o => o.ProviderId == provider && o.Status == Marketplace.Domain.Catalogue.OfferStatus.Published)
                .Join(db.OfferVersions, o => o.PublishedVersionId, v => v.Id, (o, v) => new { o.Id, v.SilverCredits }).Where(x => x.SilverCredits != null && x.SilverCredits <= 5)
                .OrderBy(x => x.Id).Select(x => x.Id).FirstAsync();
            var practitioner = await db.Practitioners.Where(p => p.ProviderId == provider).OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
            url = url.Replace("{bookable}", bookable.ToString()).Replace("{practitioner}", practitioner.ToString());
            if (url.Contains("{booking}"))
            {
                using var buyer = await Fixture.ClientFor(Buyer);
                var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{urn}/bookings") { Content = JsonContent.Create(new { offerId = bookable, quantity = 1 }) };
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                var booked = await (await buyer.SendAsync(request)).JsonAsync(HttpStatusCode.Created);
                url = url.Replace("{booking}", booked.GetProperty("id").GetGuid().ToString());
            }
        }
        var nextYear = Marketplace.Domain.Subscriptions.Period.Containing(Marketplace.Domain.Subscriptions.PeriodBasis.FinancialYear,
            Marketplace.Application.Common.UkClock.Today(Fixture.Clock)).Start.Year + 1;
        // Booking dates in term, within the two years ahead the date rules allow, whatever the clock (ADR 0018).
        url = url.Replace("{termDay}", Fixture.WorkingDay(10).ToString("yyyy-MM-dd")).Replace("{nextTermDay}", Fixture.WorkingDay(11).ToString("yyyy-MM-dd"));
        return url.Replace("{nextYear}", nextYear.ToString()).Replace("{provider}", provider.ToString()).Replace("{published}", published.ToString()).Replace("{urn}", urn.ToString());
    }
}
