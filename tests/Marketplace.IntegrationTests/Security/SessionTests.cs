using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Data;
using Marketplace.Application.DemoWorld;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Security;

/// <summary>Sessions end when they should: on sign-out, on a replayed refresh token, when an admin removes access.</summary>
public class SessionTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task A_cookie_replayed_after_sign_out_is_refused()
    {
        using var browser = await BrowserSession.SignInAsync(Fixture.BaseAddress, DemoAccounts.YorkBuyer);
        var stolen = browser.CookieHeader();
        Assert.Equal(HttpStatusCode.OK, (await WithCookie(stolen, "/school/bookings")).StatusCode);

        await browser.SignOutAsync();

        var replayed = await WithCookie(stolen, "/school/bookings");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.StartsWith("/account/sign-in", replayed.Headers.Location!.OriginalString.Replace(Fixture.BaseAddress.ToString(), "/"));
    }

    [Fact]
    public async Task A_refresh_token_works_once_and_a_replay_ends_the_session()
    {
        using var anonymous = Fixture.Client();
        var first = await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = DemoAccounts.Password })).JsonAsync(HttpStatusCode.OK);
        var refresh1 = first.GetProperty("refreshToken").GetString()!;

        var second = await (await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = refresh1 })).JsonAsync(HttpStatusCode.OK);
        var access2 = second.GetProperty("accessToken").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await Me(access2)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Me(first.GetProperty("accessToken").GetString()!)).StatusCode);

        var replay = await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = refresh1 });
        await replay.ProblemAsync(HttpStatusCode.Unauthorized);

        // Whoever replayed it may hold the newer tokens too: the whole session is over.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Me(access2)).StatusCode);
        var refresh2 = await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = second.GetProperty("refreshToken").GetString() });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh2.StatusCode);
        Assert.Equal("RefreshTokenReused", await EndReasonAsync(access2));
    }

    [Fact]
    public async Task Signing_out_of_the_API_ends_its_tokens()
    {
        using var anonymous = Fixture.Client();
        var tokens = await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.Ebor, password = DemoAccounts.Password })).JsonAsync(HttpStatusCode.OK);
        var access = tokens.GetProperty("accessToken").GetString()!;
        using var client = Fixture.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/v1/auth/logout", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Me(access)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() })).StatusCode);
    }

    [Fact]
    public async Task Removing_a_users_access_ends_their_sessions_at_once()
    {
        using var browser = await BrowserSession.SignInAsync(Fixture.BaseAddress, DemoAccounts.YorkBuyer);
        using var anonymous = Fixture.Client();
        var tokens = await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = DemoAccounts.Password })).JsonAsync(HttpStatusCode.OK);
        var access = tokens.GetProperty("accessToken").GetString()!;
        using var admin = await Fixture.ClientFor(DemoAccounts.Admin);
        var found = await (await admin.GetAsync($"/api/v1/users?q={DemoAccounts.YorkBuyer}")).JsonAsync(HttpStatusCode.OK);
        var user = found.GetProperty("items").EnumerateArray().Single();
        Assert.True(user.GetProperty("canSignIn").GetBoolean());
        Assert.Equal(2, user.GetProperty("activeSessions").GetInt32());
        var id = user.GetProperty("id").GetGuid();

        (await admin.PostAsJsonAsync($"/api/v1/users/{id}/remove-access", new { reason = "Left the school" })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await Me(access)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync("/school/bookings")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() })).StatusCode);
        var again = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = DemoAccounts.Password });
        await again.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("AccessRemoved", await EndReasonAsync(access));

        (await admin.PostAsJsonAsync($"/api/v1/users/{id}/restore-access", new { reason = "Came back" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = DemoAccounts.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Me(access)).StatusCode);
    }

    [Fact]
    public async Task Removing_access_needs_a_reason_and_is_audited()
    {
        using var admin = await Fixture.ClientFor(DemoAccounts.Admin);
        var found = await (await admin.GetAsync($"/api/v1/users?q={DemoAccounts.Ebor}")).JsonAsync(HttpStatusCode.OK);
        var id = found.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid();

        await (await admin.PostAsJsonAsync($"/api/v1/users/{id}/remove-access", new { reason = "" })).ProblemAsync(HttpStatusCode.BadRequest, "reason");
        var me = await (await admin.GetAsync("/api/v1/me")).JsonAsync(HttpStatusCode.OK);
        await (await admin.PostAsJsonAsync($"/api/v1/users/{me.GetProperty("id").GetGuid()}/remove-access", new { reason = "Oops" })).ProblemAsync(HttpStatusCode.Conflict);
        (await admin.PostAsJsonAsync($"/api/v1/users/{id}/remove-access", new { reason = "Contract ended" })).EnsureSuccessStatusCode();

        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == "user.access-removed");
        Assert.Equal("Contract ended", audit.Reason);
        Assert.Contains(DemoAccounts.Ebor, audit.Detail);
    }

    [Fact]
    public async Task The_API_ignores_the_browser_cookie_so_a_cross_site_post_cannot_act()
    {
        using var browser = await BrowserSession.SignInAsync(Fixture.BaseAddress, DemoAccounts.YorkProviderTeam);
        using var team = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var draft = await (await team.PostAsJsonAsync("/api/v1/offers", OfferBodies.Valid("Cross-site target"))).JsonAsync(HttpStatusCode.Created);
        var id = draft.GetProperty("id").GetGuid();

        // What a form on another site makes the browser send: the cookie, an Origin that is not ours, no token.
        var forged = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/offers/{id}/submit");
        forged.Headers.Add("Cookie", browser.CookieHeader());
        forged.Headers.Add("Origin", "https://attacker.example");
        forged.Content = new FormUrlEncodedContent([]);
        using var plain = Fixture.Client();
        var response = await plain.SendAsync(forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var offer = await (await team.GetAsync($"/api/v1/offers/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("draft", offer.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_bearer_scheme_name_is_read_in_any_case()
    {
        using var anonymous = Fixture.Client();
        var tokens = await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = DemoAccounts.Password })).JsonAsync(HttpStatusCode.OK);
        using var lower = Fixture.Client();
        lower.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "bearer " + tokens.GetProperty("accessToken").GetString());

        var me = await (await lower.GetAsync("/api/v1/me")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(DemoAccounts.YorkBuyer, me.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Sign_in_answers_a_missing_or_null_field_with_a_field_error()
    {
        using var anonymous = Fixture.Client();

        await (await anonymous.PostAsync("/api/v1/auth/login", new StringContent("""{"email": null, "password": "x"}""", System.Text.Encoding.UTF8, "application/json")))
            .ProblemAsync(HttpStatusCode.BadRequest, "email");
        await (await anonymous.PostAsync("/api/v1/auth/login", new StringContent("{}", System.Text.Encoding.UTF8, "application/json")))
            .ProblemAsync(HttpStatusCode.BadRequest, "email", "password");
        await (await anonymous.PostAsync("/api/v1/auth/refresh", new StringContent("""{"refreshToken": null}""", System.Text.Encoding.UTF8, "application/json")))
            .ProblemAsync(HttpStatusCode.BadRequest, "refreshToken");
    }

    [Fact]
    public async Task Tokens_are_stored_only_as_hashes()
    {
        using var anonymous = Fixture.Client();
        var tokens = await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = DemoAccounts.Password })).JsonAsync(HttpStatusCode.OK);
        var access = tokens.GetProperty("accessToken").GetString()!;
        var refresh = tokens.GetProperty("refreshToken").GetString()!;

        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var id = Guid.ParseExact(access[..32], "N");
        var row = await db.UserSessions.AsNoTracking().SingleAsync(s => s.Id == id);
        var secret = System.Buffers.Text.Base64Url.DecodeFromChars(access.AsSpan(33));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(secret), row.AccessTokenHash);
        Assert.NotEqual(row.AccessTokenHash, row.RefreshTokenHash);
        Assert.Equal(refresh[..32], access[..32]);
        Assert.Equal(Fixture.Clock.GetUtcNow().AddHours(1), row.AccessExpiresAt!.Value, TimeSpan.FromSeconds(5));
    }

    private async Task<HttpResponseMessage> Me(string accessToken)
    {
        using var client = Fixture.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await client.GetAsync("/api/v1/me");
    }

    private async Task<HttpResponseMessage> WithCookie(string cookie, string path)
    {
        using var client = Fixture.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    private async Task<string?> EndReasonAsync(string accessToken)
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var id = Guid.ParseExact(accessToken[..32], "N");
        return (await db.UserSessions.AsNoTracking().SingleAsync(s => s.Id == id)).EndReason?.ToString();
    }
}

public class SignInHousekeepingTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Old_failures_and_long_ended_sessions_are_forgotten_and_recent_ones_kept()
    {
        using var client = Fixture.ClientFrom(IPAddress.Parse("127.0.0.41"));
        await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "old@york.gov.uk", password = "x" });
        var ended = await (await client.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.Ebor, password = DemoAccounts.Password })).JsonAsync(HttpStatusCode.OK);
        using (var ebor = Fixture.Client())
        {
            ebor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ended.GetProperty("accessToken").GetString());
            (await ebor.PostAsync("/api/v1/auth/logout", null)).EnsureSuccessStatusCode();
        }

        Fixture.Clock.SetNow(Fixture.Clock.GetUtcNow().AddDays(91));
        await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "recent@york.gov.uk", password = "x" });
        var live = await (await client.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.Ebor, password = DemoAccounts.Password })).JsonAsync(HttpStatusCode.OK);

        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<Mediator.IMediator>().Send(new Marketplace.Application.Features.Users.ForgetStaleSignIns.Command());

        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        Assert.Equal(["RECENT@YORK.GOV.UK"], await db.SignInThrottles.Select(t => t.Email).ToListAsync());
        Assert.Equal(1, result.Failures);
        Assert.Equal(1, result.Sessions);
        var liveId = Guid.ParseExact(live.GetProperty("accessToken").GetString()![..32], "N");
        var endedId = Guid.ParseExact(ended.GetProperty("accessToken").GetString()![..32], "N");
        Assert.True(await db.UserSessions.AnyAsync(s => s.Id == liveId));
        Assert.False(await db.UserSessions.AnyAsync(s => s.Id == endedId));
    }
}
