using System.Net;
using System.Net.Http.Json;
using Marketplace.Application.DemoWorld;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Security;

/// <summary>
/// Rate limits per client address, on an app of its own with small limits (the shared app's are out of
/// reach, since every other test signs in from 127.0.0.1). Clients come from distinct loopback addresses.
/// </summary>
public class RateLimitTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Sign_in_refresh_and_anonymous_requests_are_limited_per_client_with_Retry_After()
    {
        await using var app = new MarketplaceApp(Fixture.ConnectionString, Fixture.Clock, Fixture.OwnerConnectionString, Fixture.MailDirectory, new Dictionary<string, string>
        {
            ["RateLimits:SignInPerMinute"] = "3",
            ["RateLimits:AnonymousPerMinute"] = "6",
        });
        app.UseKestrel(0);
        app.StartServer();
        var server = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));

        using var guesser = MarketplaceFixture.From(IPAddress.Parse("127.0.0.31"), server);
        for (var i = 0; i < 3; i++)
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await guesser.PostAsJsonAsync("/api/v1/auth/login", new { email = $"guess{i}@york.gov.uk", password = "x" })).StatusCode);
        var limited = await guesser.PostAsJsonAsync("/api/v1/auth/login", new { email = "guess@york.gov.uk", password = "x" });
        await limited.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single()), 1, 60);
        // Refresh shares the sign-in limit.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = "x" })).StatusCode);

        // Someone else, from their own address, is not held up by the guesser.
        using var someoneElse = MarketplaceFixture.From(IPAddress.Parse("127.0.0.32"), server);
        Assert.Equal(HttpStatusCode.OK, (await someoneElse.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = DemoAccounts.Password })).StatusCode);

        // Anonymous browsing is limited too (the catalogue, pages), and a signed-in caller is not.
        using var scraper = MarketplaceFixture.From(IPAddress.Parse("127.0.0.33"), server);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++) statuses.Add((await scraper.GetAsync("/api/v1/offers?q=maths")).StatusCode);
        Assert.Equal(6, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        var page = await scraper.GetAsync("/offers");
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Contains("Too many requests", await page.Content.ReadAsStringAsync());
        Assert.True(page.Headers.Contains("Retry-After"));
    }
}
