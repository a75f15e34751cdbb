using Marketplace.Application.DemoWorld;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Marketplace.IntegrationTests.Browser;

/// <summary>
/// The Content-Security-Policy as a browser enforces it: the pages, the API reference and the jobs dashboard
/// run with nothing refused (a refusal means a broken page: a script that did not run, a style not applied),
/// and GOV.UK Frontend's scripts did run.
/// </summary>
public class ContentSecurityPolicyBrowserTests(MarketplaceFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Nothing_on_our_pages_is_refused_by_the_policy_and_GOV_UK_Frontend_runs()
    {
        var refused = Watch();

        await Page.GotoAsync("/offers");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        // The inline snippet (allowed by its hash) and the module that starts the components both ran.
        Assert.Contains("govuk-frontend-supported", await Page.EvaluateAsync<string>("document.body.className"));
        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.GotoAsync("/school/bookings");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Empty(refused);
    }

    [Fact]
    public async Task The_API_reference_and_the_jobs_dashboard_work_under_their_policies()
    {
        var refused = Watch();

        await Page.GotoAsync("/api/reference/");
        await Page.GetByRole(AriaRole.Heading, new() { Name = "Marketplace API" }).First.WaitForAsync();
        await SignInAsync(DemoAccounts.Admin);
        await Page.GotoAsync("/admin/jobs/recurring");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(Page.GetByText("ledger-invariants")).ToBeVisibleAsync();

        Assert.Empty(refused);
    }

    /// <summary>Every refusal the browser reports, as console messages and as securitypolicyviolation events.</summary>
    private List<string> Watch()
    {
        var refused = new List<string>();
        Page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) refused.Add($"{Page.Url}: {m.Text}");
        };
        return refused;
    }
}
