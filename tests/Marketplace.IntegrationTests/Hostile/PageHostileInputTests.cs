using System.Net;
using Marketplace.Application.Data;
using Marketplace.Application.DemoWorld;
using Marketplace.IntegrationTests.Infrastructure;
using Marketplace.IntegrationTests.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Hostile;

/// <summary>
/// The pages take query values too: hostile ones get an error page with a 4xx (or the page with a message),
/// never "a problem with the service".
/// </summary>
public class PageHostileInputTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private static readonly string[] Values = ["a%00b", "%01", "%ED%A0%80", "9999-12-31", "0001-01-01", "-1", "1e309", new string('x', 5000)];

    [Fact]
    public async Task No_hostile_query_value_on_a_page_is_a_server_error()
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var offer = await db.Offers.Where(o => o.PublishedVersionId != null).OrderBy(o => o.Id).Select(o => o.Id).FirstAsync();
        var provider = await db.Users.Where(u => u.Email == DemoAccounts.YorkProviderTeam).Select(u => u.ProviderId).SingleAsync();
        var practitioner = await db.Practitioners.Where(p => p.ProviderId == provider).OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();

        using var anonymous = Fixture.Client();
        using var buyer = await BrowserSession.SignInAsync(Fixture.BaseAddress, DemoAccounts.YorkBuyer);
        using var team = await BrowserSession.SignInAsync(Fixture.BaseAddress, DemoAccounts.YorkProviderTeam);
        using var commissioner = await BrowserSession.SignInAsync(Fixture.BaseAddress, DemoAccounts.YorkCommissioner);
        var confirmed = await db.Bookings.Where(b => b.Status == Domain.Bookings.BookingStatus.Confirmed).OrderBy(b => b.Reference).Select(b => b.Id).FirstAsync();
        var disputed = await db.Bookings.Where(b => b.Status == Domain.Bookings.BookingStatus.Disputed).Select(b => b.Id).FirstAsync();
        var pages = new (HttpClient Client, string Url)[]
        {
            (buyer.Client, "/school/subscription/upgrade?tier={v}"), (buyer.Client, "/school/subscription/downgrade?tier={v}"),
            (buyer.Client, "/school/subscription/renewal?tier={v}"), (buyer.Client, $"/school/bookings/{confirmed}/cancel?reason={{v}}"),
            (buyer.Client, $"/offers/{offer}/book/check?quantity={{v}}&preferredDates={{v}}&preferredTerm={{v}}&practitionerId={{v}}&purchaseOrderNumber={{v}}&notes={{v}}&payShortfallInPounds={{v}}"),
            (buyer.Client, $"/offers/{offer}/book/check?quantity=1&notes={{v}}"),
            (team.Client, $"/provider/bookings/{confirmed}/cancel?reason={{v}}"),
            (commissioner.Client, $"/la/disputes/{disputed}/check?chargedQuantity={{v}}&note={{v}}"), (commissioner.Client, $"/la/disputes/{disputed}/check?chargedQuantity=1&note={{v}}"),
            (commissioner.Client, "/la/disputes?change={v}&chargedQuantity={v}&note={v}"),
            (anonymous, "/offers?q={v}"), (anonymous, "/offers?la={v}&subject={v}&phase={v}&category={v}&tier={v}&providerKind={v}&sort={v}"),
            (anonymous, "/offers?page={v}"), (anonymous, $"/offers/{offer}?tier={{v}}"), (anonymous, "/account/sign-in?returnUrl={v}"),
            (buyer.Client, "/school/credits?from={v}&to={v}"), (buyer.Client, "/school/credits?to={v}"), (buyer.Client, "/school/bookings?page={v}"),
            (buyer.Client, "/school/credits/buy?credits={v}&purchaseOrderNumber={v}"), (buyer.Client, "/school/credits/buy/check?credits={v}&purchaseOrderNumber={v}"),
            (buyer.Client, "/school/credits/buy/check?credits=5&purchaseOrderNumber={v}"),
            (team.Client, $"/provider/practitioners/{practitioner}?month={{v}}"), (team.Client, "/provider/bookings?status={v}"),
        };

        var failures = new List<string>();
        var count = 0;
        foreach (var (client, url) in pages)
            foreach (var value in Values)
            {
                var target = url.Replace("{v}", value);
                using var response = await client.GetAsync(target);
                count++;
                if ((int)response.StatusCode >= 500) failures.Add($"GET {target[..Math.Min(target.Length, 120)]} → {(int)response.StatusCode}");
            }

        Assert.Equal(pages.Length * Values.Length, count);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task An_unknown_or_someone_elses_id_on_a_page_is_a_not_found_or_forbidden_page()
    {
        using var buyer = await BrowserSession.SignInAsync(Fixture.BaseAddress, DemoAccounts.YorkBuyer);
        using var team = await BrowserSession.SignInAsync(Fixture.BaseAddress, DemoAccounts.YorkProviderTeam);
        using var commissioner = await BrowserSession.SignInAsync(Fixture.BaseAddress, DemoAccounts.YorkCommissioner);
        var unknown = Guid.NewGuid();
        var pages = new (HttpClient Client, string Url)[]
        {
            (buyer.Client, $"/school/bookings/{unknown}"), (buyer.Client, $"/offers/{unknown}"),
            (team.Client, $"/provider/bookings/{unknown}"), (team.Client, $"/provider/offers/{unknown}/edit"), (team.Client, $"/provider/practitioners/{unknown}"),
            (commissioner.Client, $"/la/approvals/{unknown}"), (commissioner.Client, "/la/concern/999999"), (commissioner.Client, "/la/concern/0"),
        };

        foreach (var (client, url) in pages)
        {
            using var response = await client.GetAsync(url);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"GET {url} → {(int)response.StatusCode}");
            Assert.DoesNotContain("problem with the service", await response.Content.ReadAsStringAsync());
        }
    }
}
