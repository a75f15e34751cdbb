using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.DemoWorld;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Marketplace.IntegrationTests.Browser;

/// <summary>axe-core (WCAG 2.2 A and AA rules) over every page of the UI, as each kind of user sees it.</summary>
public class AccessibilityBrowserTests(MarketplaceFixture fixture) : BrowserTest(fixture)
{
    public static TheoryData<string?, string> Pages => new()
    {
        { null, "/" },
        { null, "/offers" },
        { null, "/offers?subject=mathematics&phase=primary&page=2" },
        { null, "/offers?subject=astrology" },
        { null, "/offers/{published}" },
        { null, "/account/sign-in" },
        { null, "/accessibility" },
        { null, "/cookies" },
        { null, "/no-such-page" },
        { null, "/error/500" },
        { DemoAccounts.YorkBuyer, "/account" },
        { DemoAccounts.YorkBuyer, "/provider/offers" },
        { DemoAccounts.YorkProviderTeam, "/provider/offers" },
        { DemoAccounts.YorkProviderTeam, "/provider/offers/new" },
        { DemoAccounts.YorkProviderTeam, "/provider/bookings" },
        { DemoAccounts.YorkProviderTeam, "/provider/offers/{own}/edit" },
        { DemoAccounts.YorkCommissioner, "/la/approvals" },
        { DemoAccounts.YorkCommissioner, "/la/approvals/{pending}" },
        { DemoAccounts.YorkBuyer, "/school/subscription" },
        { DemoAccounts.YorkBuyer, "/school/bookings" },
        { DemoAccounts.YorkRequester, "/school/subscription" },
        { DemoAccounts.YorkBuyer, "/school/credits" },
        { DemoAccounts.YorkBuyer, "/school/credits?From=2026-13-01" },
        { DemoAccounts.YorkBuyer, "/school/credits/buy" },
        { DemoAccounts.YorkBuyer, "/school/credits/buy/check?credits=5&purchaseOrderNumber=PO-1" },
        { DemoAccounts.YorkCommissioner, "/la/subscriptions" },
        { DemoAccounts.YorkCommissioner, "/la/packages" },
        { DemoAccounts.YorkCommissioner, "/la/subscription-policy" },
        { DemoAccounts.YorkCommissioner, "/la/schools/{concern}/payer" },
        { DemoAccounts.Admin, "/admin/mail" },
        { DemoAccounts.YorkCommissioner, "/la/concern" },
        { DemoAccounts.YorkCommissioner, "/la/concern/{concern}" },
        { DemoAccounts.YorkCommissioner, "/la/disputes" },
        { DemoAccounts.YorkProviderTeam, "/provider/practitioners" },
        { DemoAccounts.YorkProviderTeam, "/provider/practitioners/{practitioner}" },
        { DemoAccounts.YorkProviderTeam, "/provider/bookings/{confirmed}" },
        { DemoAccounts.YorkBuyer, "/school/bookings/{confirmed}" },
        { DemoAccounts.YorkBuyer, "/school/bookings/{confirmed}/cancel" },
        { DemoAccounts.YorkProviderTeam, "/provider/bookings/{confirmed}/cancel" },
        { DemoAccounts.YorkBuyer, "/school/subscription/upgrade?tier=gold" },
        { DemoAccounts.YorkBuyer, "/school/subscription/downgrade?tier=bronze" },
        { DemoAccounts.YorkBuyer, "/school/subscription/renewal" },
        { DemoAccounts.YorkBuyer, "/offers/{published}/book/check?quantity=2&purchaseOrderNumber=PO-1" },
        { DemoAccounts.YorkCommissioner, "/la/disputes/{disputed}/check?chargedQuantity=1&note=As%20recorded" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_has_no_serious_or_critical_accessibility_violations(string? user, string path)
    {
        if (user is not null) await SignInAsync(user);

        var response = await Page.GotoAsync(await ResolveAsync(Fixture, path));

        Assert.NotNull(response);
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveCountAsync(1);
        await Assertions.Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en-GB");
        await AssertAccessibleAsync();
    }

    [Fact]
    public async Task The_sign_in_page_with_errors_is_accessible()
    {
        await Page.GotoAsync("/account/sign-in");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Enter your email address");
        await AssertAccessibleAsync();
    }

    /// <summary>A path with the demo world's ids filled in (the plain-words and reflow sweeps use the same list).</summary>
    internal static async Task<string> ResolveAsync(MarketplaceFixture fixture, string path)
    {
        if (!path.Contains('{')) return path;
        using var admin = await fixture.ClientFor(DemoAccounts.Admin);
        if (path.Contains("{concern}"))
        {
            var rows = await admin.GetFromJsonAsync<JsonElement>("/api/v1/las/816/concern");
            return path.Replace("{concern}", rows[0].GetProperty("urn").GetInt32().ToString());
        }
        if (path.Contains("{confirmed}"))
        {
            // The demo buyer's Challenge Partner visit: confirmed, so its page shows the change and cancel forms.
            var id = await fixture.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
                db.Bookings.Where(b => b.Status == Marketplace.Domain.Bookings.BookingStatus.Confirmed).OrderBy(b => b.Reference).Select(b => b.Id)));
            return path.Replace("{confirmed}", id.ToString());
        }
        if (path.Contains("{disputed}"))
        {
            var id = await fixture.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
                db.Bookings.Where(b => b.Status == Marketplace.Domain.Bookings.BookingStatus.Disputed).Select(b => b.Id)));
            return path.Replace("{disputed}", id.ToString());
        }
        if (path.Contains("{published}"))
        {
            var page = await admin.GetFromJsonAsync<JsonElement>("/api/v1/offers?pageSize=1");
            return path.Replace("{published}", page.GetProperty("items")[0].GetProperty("id").GetString());
        }
        var providers = await admin.GetFromJsonAsync<JsonElement>("/api/v1/providers?la=816&kind=laTradedService");
        var providerId = providers.GetProperty("items")[0].GetProperty("id").GetString();
        if (path.Contains("{practitioner}"))
        {
            var practitioners = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/providers/{providerId}/practitioners");
            return path.Replace("{practitioner}", practitioners[0].GetProperty("id").GetString());
        }
        if (path.Contains("{own}"))
        {
            var offers = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/providers/{providerId}/offers");
            return path.Replace("{own}", offers[0].GetProperty("id").GetString());
        }
        var queue = await admin.GetFromJsonAsync<JsonElement>("/api/v1/las/816/approvals");
        return path.Replace("{pending}", queue[0].GetProperty("id").GetString());
    }
}
