using Marketplace.Application.DemoWorld;
using Marketplace.IntegrationTests.Browser;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Marketplace.IntegrationTests.PlainWords;

/// <summary>
/// Issue 11, items 5 and 6 in the browser: no page shows an internal name, binding errors read as the
/// service's own words in page order, every page reflows at 320 px, and visitors are asked to sign in to book.
/// </summary>
[Trait("Category", "DateSensitive")]
public class PlainWordsBrowserTests(MarketplaceFixture fixture) : BrowserTest(fixture)
{
    /// <summary>Every page of the accessibility sweep, grouped by who looks at it (one sign-in per person).</summary>
    private static IEnumerable<IGrouping<string?, string>> PagesByUser() =>
        AccessibilityBrowserTests.Pages.Select(row => ((string?)row[0], (string)row[1])).Concat(ExtraPages)
            .GroupBy(p => p.Item1, p => p.Item2);

    /// <summary>Pages the accessibility sweep does not list but people reach.</summary>
    private static readonly (string?, string)[] ExtraPages =
    [
        (DemoAccounts.Admin, "/admin/ledger"),
        (DemoAccounts.YorkBuyer, "/offers/{published}"),
        (DemoAccounts.Ebor, "/provider/bookings"),
        (DemoAccounts.Consultant, "/provider/offers"),
        (DemoAccounts.YorkRequester, "/school/bookings"),
        (DemoAccounts.Admin, "/"),
    ];

    [Fact]
    public async Task No_page_any_demo_user_can_reach_shows_an_enum_identifier()
    {
        var leaks = new List<string>();
        var visited = 0;
        foreach (var group in PagesByUser())
        {
            await NewSessionAsync();
            if (group.Key is not null) await SignInAsync(group.Key);
            foreach (var path in group.Distinct())
            {
                var response = await Page.GotoAsync(await AccessibilityBrowserTests.ResolveAsync(Fixture, path));
                if (response is null || response.Status == 404 && !path.Contains("no-such-page")) continue;
                visited++;
                var text = await Page.Locator("body").InnerTextAsync();
                var title = await Page.TitleAsync();
                var found = EnumIdentifiers.In(title + "\n" + text);
                if (found.Count > 0) leaks.Add($"{group.Key ?? "visitor"} {path}: {string.Join(", ", found)}");
            }
        }

        Assert.True(visited >= 35, $"Only {visited} pages were read");
        Assert.True(leaks.Count == 0, "Pages showing internal names:\n" + string.Join("\n", leaks));
    }

    [Fact]
    public async Task Every_page_reflows_on_a_320_pixel_screen_without_sideways_scrolling()
    {
        var wide = new List<string>();
        foreach (var group in PagesByUser())
        {
            await NewSessionAsync();
            if (group.Key is not null) await SignInAsync(group.Key);
            await Page.SetViewportSizeAsync(320, 800);
            foreach (var path in group.Distinct())
            {
                await Page.GotoAsync(await AccessibilityBrowserTests.ResolveAsync(Fixture, path));
                var widths = await Page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, window.innerWidth]");
                if (widths[0] <= widths[1]) continue;
                // Name elements that stick out (outside a table's own scroll region), to say what to fix.
                var culprits = await Page.EvaluateAsync<string[]>(@"[...document.body.querySelectorAll('*')]
                    .filter(e => !e.closest('.app-table-scroll') && e.getBoundingClientRect().right > window.innerWidth + 1 && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
                    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + (e.textContent || '').trim().slice(0, 40))");
                wide.Add($"{group.Key ?? "visitor"} {path}: {widths[0]} px on a {widths[1]} px screen ({string.Join("; ", culprits)})");
            }
        }

        Assert.True(wide.Count == 0, "Pages that scroll sideways at 320 px:\n" + string.Join("\n", wide));
    }

    [Fact]
    public async Task A_quantity_that_is_not_a_whole_number_gets_the_services_own_message()
    {
        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.GotoAsync(await AccessibilityBrowserTests.ResolveAsync(Fixture, "/offers/{published}"));

        await Page.GetByLabel("How many", new() { Exact = false }).FillAsync("1.5");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Request booking" }).ClickAsync();

        var summary = Page.Locator(".govuk-error-summary");
        await Assertions.Expect(summary).ToContainTextAsync("Enter the quantity as a whole number, like 2");
        await Assertions.Expect(summary).Not.ToContainTextAsync("is not valid for");
        await AssertAccessibleAsync();
    }

    [Fact]
    public async Task The_error_summary_lists_problems_in_the_order_of_the_fields_on_the_page()
    {
        await SignInAsync(DemoAccounts.YorkProviderTeam);
        await Page.GotoAsync("/provider/offers/new");

        // The price in credits fails to parse (found first by the page); the missing title is found after it.
        await Page.Locator("#Input_PriceCredits").FillAsync("ten");
        await Page.Locator("#Input_BronzeCredits").FillAsync("5");
        await Page.Locator("#Input_GoldCredits").FillAsync("6");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

        var links = await Page.Locator(".govuk-error-summary__list a").AllAsync();
        var targets = new List<string>();
        foreach (var link in links) targets.Add((await link.GetAttributeAsync("href"))!);
        Assert.True(targets.Count >= 3, string.Join(", ", targets));
        var fieldsInPageOrder = await Page.EvaluateAsync<string[]>("[...document.querySelectorAll('input[id], textarea[id], select[id]')].map(e => '#' + e.id)");
        var positions = targets.Select(t => Array.FindIndex(fieldsInPageOrder, f => f == t || f.StartsWith(t + "_", StringComparison.Ordinal))).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.OrderBy(p => p).ToList(), positions);
        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Tier prices cannot rise with the tier");
    }

    [Fact]
    public async Task A_visitor_on_an_offer_page_is_asked_to_sign_in_to_book_and_comes_back_to_the_offer()
    {
        var offer = await AccessibilityBrowserTests.ResolveAsync(Fixture, "/offers/{published}");
        await Page.GotoAsync(offer);

        var prompt = Page.GetByRole(AriaRole.Button, new() { Name = "Sign in to book" });
        await Assertions.Expect(prompt).ToBeVisibleAsync();
        await AssertAccessibleAsync();
        await prompt.ClickAsync();
        await Page.GetByLabel("Email address").FillAsync(DemoAccounts.YorkBuyer);
        await Page.GetByLabel("Password").FillAsync(DemoAccounts.Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(offer) + "$"));
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Request booking" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Sign in to book" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_buyer_sees_what_credits_are_worth_in_pounds_on_the_credits_page_and_an_offer()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var price = await Fixture.DbAsync(db => db.LocalAuthorities.Where(l => l.Id == school.LocalAuthorityId).Select(l => l.CreditPricePence)
            .SingleAsync());
        var balance = await Fixture.WalletBalanceAsync(school.Id);
        await SignInAsync(DemoAccounts.YorkBuyer);

        await Page.GotoAsync("/school/credits");

        var gb = System.Globalization.CultureInfo.GetCultureInfo("en-GB");
        string Pounds(long pence) => (pence / 100m).ToString("C2", gb);
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync($"You have {balance.ToString("N0", gb)} credits ({Pounds(balance * price)}) to spend");
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync($"A credit is worth {Pounds(price)}");
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("tier");
        await AssertAccessibleAsync();

        await Page.GotoAsync(await AccessibilityBrowserTests.ResolveAsync(Fixture, "/offers/{published}"));
        var firstPrice = await Page.Locator("table.govuk-table td", new() { HasText = " credit" }).First.InnerTextAsync();
        var credits = long.Parse(firstPrice.Split(' ')[0], System.Globalization.NumberStyles.AllowThousands, gb);
        Assert.Equal($"{credits.ToString("N0", gb)} credits ({Pounds(credits * price)})", firstPrice.Trim());
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync($"A credit is worth {Pounds(price)}");
    }

    [Fact]
    public async Task The_accessibility_statement_names_the_jobs_dashboards_gaps()
    {
        await Page.GotoAsync("/accessibility");

        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("background jobs dashboard (for administrators, at /admin/jobs)");
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("colour contrast (WCAG 2.2 success criterion 1.4.3)");
    }
}
