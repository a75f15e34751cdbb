using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Data;
using Marketplace.Application.DemoWorld;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Api;

public class AccessAndAccountTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task A_buyer_sees_only_their_own_school()
    {
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var me = await (await buyer.GetAsync("/api/v1/me")).JsonAsync(HttpStatusCode.OK);
        var list = await (await buyer.GetAsync("/api/v1/schools?pageSize=100")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(1, list.GetProperty("totalCount").GetInt32());
        var own = list.GetProperty("items")[0];
        Assert.Equal(me.GetProperty("schoolId").GetGuid(), own.GetProperty("id").GetGuid());
        (await buyer.GetAsync($"/api/v1/schools/{own.GetProperty("urn").GetInt32()}")).EnsureSuccessStatusCode();

        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var otherUrn = await scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>().Schools
            .Where(s => s.Id != own.GetProperty("id").GetGuid()).Select(s => s.Urn).FirstAsync();
        await (await buyer.GetAsync($"/api/v1/schools/{otherUrn}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await buyer.GetAsync($"/api/v1/schools/{otherUrn}/credits")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_commissioner_sees_their_LAs_68_schools_and_no_others()
    {
        using var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);

        var list = await (await commissioner.GetAsync("/api/v1/schools?pageSize=100")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(68, list.GetProperty("totalCount").GetInt32());
        Assert.All(list.GetProperty("items").EnumerateArray(), s => Assert.Equal(816, s.GetProperty("laCode").GetInt32()));
        var other = await (await commissioner.GetAsync("/api/v1/schools?la=815")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, other.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Seven_York_schools_are_graded_requires_improvement_in_the_demo_world()
    {
        using var admin = await Fixture.ClientFor(DemoAccounts.Admin);

        var york = await (await admin.GetAsync("/api/v1/schools?la=816&pageSize=100")).JsonAsync(HttpStatusCode.OK);

        var grades = york.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("ofstedGrade").GetInt32()).ToList();
        Assert.Equal(68, grades.Count);
        Assert.Equal(7, grades.Count(g => g == 3));
        Assert.All(york.GetProperty("items").EnumerateArray(), s => Assert.Matches("^[1-9][0-9]{5}$", s.GetProperty("urn").GetInt32().ToString()));
    }

    [Fact]
    public async Task A_provider_may_not_list_schools()
    {
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);

        await (await provider.GetAsync("/api/v1/schools")).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_malformed_urn_is_a_400_and_an_unknown_one_404()
    {
        using var admin = await Fixture.ClientFor(DemoAccounts.Admin);

        await (await admin.GetAsync("/api/v1/schools/12")).ProblemAsync(HttpStatusCode.BadRequest, "urn");
        await (await admin.GetAsync("/api/v1/schools/999999")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Me_describes_the_signed_in_user()
    {
        using var provider = await Fixture.ClientFor(DemoAccounts.Ebor);

        var me = await (await provider.GetAsync("/api/v1/me")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(DemoAccounts.Ebor, me.GetProperty("email").GetString());
        Assert.Equal(["Provider"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var provider2 = await (await provider.GetAsync($"/api/v1/providers/{me.GetProperty("providerId").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Ebor Teaching School Alliance", provider2.GetProperty("name").GetString());
        Assert.NotEqual(JsonValueKind.Null, provider2.GetProperty("schoolUrn").ValueKind);
        Assert.Contains(provider2.GetProperty("practitioners").EnumerateArray(),
            p => p.GetProperty("accreditations").EnumerateArray().Any(a => a.GetString() == "nationalLeaderOfEducation"));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_that_client_out_of_the_account_but_not_its_owner_elsewhere()
    {
        using var stranger = Fixture.ClientFrom(System.Net.IPAddress.Parse("127.0.0.23"));
        for (var i = 0; i < 4; i++)
        {
            var wrong = await stranger.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = "not-the-password" });
            await wrong.ProblemAsync(HttpStatusCode.Unauthorized);
        }
        var fifth = await stranger.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = "not-the-password" });
        await fifth.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(fifth.Headers.GetValues("Retry-After").Single()) is > 0 and <= 900);

        // The right password from that client is refused too while the lock lasts ...
        var right = await stranger.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = DemoAccounts.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        // ... but the owner, from their own connection, signs in: a stranger cannot lock anyone out.
        using var owner = Fixture.ClientFrom(System.Net.IPAddress.Parse("127.0.0.24"));
        var theirs = await owner.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = DemoAccounts.Password });
        Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);
        // After the 15 minutes the stranger's client may try again.
        Fixture.Clock.SetNow(Fixture.Clock.GetUtcNow().AddMinutes(16));
        var later = await stranger.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = DemoAccounts.Password });
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task An_unknown_email_and_a_wrong_password_get_the_same_answer()
    {
        using var client = Fixture.ClientFrom(System.Net.IPAddress.Parse("127.0.0.25"));

        var unknown = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "nobody-here@york.gov.uk", password = "not-the-password" });
        var wrong = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = "not-the-password" });

        Assert.Equal(unknown.StatusCode, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(Comparable(await unknown.ProblemAsync(HttpStatusCode.Unauthorized)), Comparable(await wrong.ProblemAsync(HttpStatusCode.Unauthorized)));
        Assert.Equal(unknown.Headers.WwwAuthenticate.ToString(), wrong.Headers.WwwAuthenticate.ToString());
        // Five failures lock an address that has no account exactly as one that has.
        for (var i = 0; i < 4; i++)
        {
            await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "nobody-here@york.gov.uk", password = "not-the-password" });
            await client.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = "not-the-password" });
        }
        var lockedUnknown = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "nobody-here@york.gov.uk", password = "x" });
        var lockedKnown = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = "x" });
        Assert.Equal(Comparable(await lockedUnknown.ProblemAsync(HttpStatusCode.TooManyRequests)), Comparable(await lockedKnown.ProblemAsync(HttpStatusCode.TooManyRequests)));

        static string Comparable(JsonElement problem) => string.Join("|", problem.EnumerateObject()
            .Where(p => p.Name is not "traceId").Select(p => $"{p.Name}={p.Value}"));
    }

    [Theory]
    [InlineData("/api/v1/auth/register")]
    [InlineData("/api/v1/auth/forgotPassword")]
    [InlineData("/api/v1/auth/manage/2fa")]
    [InlineData("/api/v1/auth/manage/info")]
    public async Task Self_registration_and_account_management_are_not_exposed(string path)
    {
        using var anonymous = await Fixture.ClientFor(DemoAccounts.YorkBuyer);

        var response = await anonymous.PostAsJsonAsync(path, new { email = "new@test.example", password = "Strong-Password-123" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>().Users.AnyAsync(u => u.Email == "new@test.example"));
    }

    [Fact]
    public async Task Demo_accounts_are_refused_when_the_app_runs_in_Production()
    {
        await using var production = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("ConnectionStrings:Marketplace", Fixture.ConnectionString);
            b.UseSetting("Hangfire:Server", "false");
        });
        using var client = production.CreateClient();

        var demo = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = DemoAccounts.Password });
        var real = await client.PostAsJsonAsync("/api/v1/auth/login",
            new { email = await TestUsers.CreateAsync(Fixture, Marketplace.Application.Identity.Roles.PlatformAdmin), password = TestUsers.Password });

        // Only the right password learns that the account cannot sign in here.
        await demo.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        using var dev = Fixture.Client();
        Assert.Equal(HttpStatusCode.OK, (await dev.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = DemoAccounts.Password })).StatusCode);
    }

    [Fact]
    public async Task Health_endpoints_report_live_and_ready()
    {
        using var anonymous = Fixture.Client();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        var ready = await anonymous.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_API()
    {
        using var anonymous = Fixture.Client();

        var doc = await (await anonymous.GetAsync("/openapi/v1.json")).JsonAsync(HttpStatusCode.OK);

        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/offers", paths);
        Assert.Contains("/api/v1/offers/{id}/approve", paths);
        Assert.Contains("/api/v1/schools/{urn}/credits/purchases", paths);
        Assert.Contains("/api/v1/auth/login", paths);
        Assert.Equal("Marketplace API", doc.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Pages_answer_with_GOV_UK_error_pages_and_the_API_with_problems()
    {
        using var anonymous = Fixture.Client();

        var page = await anonymous.GetAsync("/no-such-page");
        var api = await anonymous.GetAsync("/api/v1/no-such-route");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("Page not found", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }
}
