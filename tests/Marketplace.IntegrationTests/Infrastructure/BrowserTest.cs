using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Marketplace.Application.DemoWorld;
using Microsoft.Playwright;

namespace Marketplace.IntegrationTests.Infrastructure;

/// <summary>
/// Base for browser tests: Playwright for .NET driving Debian's Chromium (/usr/bin/chromium; the test
/// command installs it) against the real app on its Kestrel port. Each test gets a fresh browser
/// context (no shared cookies) over the same browser process.
/// </summary>
public abstract class BrowserTest(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPlaywright? _playwright;
    private static IBrowser? _browser;

    private IBrowserContext? _context;
    protected IPage Page { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await NewSessionAsync();
    }

    /// <summary>A fresh browser context: nobody signed in, no cookies, as another person would arrive.</summary>
    protected async Task NewSessionAsync()
    {
        if (_context is not null) await _context.CloseAsync();
        var browser = await BrowserAsync();
        _context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Fixture.BaseAddress.ToString(),
            Locale = "en-GB",
            TimezoneId = "Europe/London",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        _context.SetDefaultTimeout(15_000);
        Page = await _context.NewPageAsync();
    }

    public override async Task DisposeAsync()
    {
        if (_context is not null) await _context.CloseAsync();
        await base.DisposeAsync();
    }

    private static async Task<IBrowser> BrowserAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_browser is { IsConnected: true }) return _browser;
            _playwright ??= await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                ],
            });
            return _browser;
        }
        finally
        {
            Gate.Release();
        }
    }

    protected async Task SignInAsync(string email, string password = DemoAccounts.Password)
    {
        await Page.GotoAsync("/account/sign-in");
        await Page.GetByLabel("Email address").FillAsync(email);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>Types a date into the GOV.UK date input whose legend is <paramref name="legend"/>, as day, month and year.</summary>
    protected async Task FillDateAsync(string legend, DateOnly date, ILocator? within = null) =>
        await FillDateAsync(legend, date.Day.ToString(System.Globalization.CultureInfo.InvariantCulture),
            date.Month.ToString(System.Globalization.CultureInfo.InvariantCulture), date.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), within);

    protected async Task FillDateAsync(string legend, string day, string month, string year, ILocator? within = null)
    {
        var group = within is null ? Page.GetByRole(AriaRole.Group, new() { Name = legend, Exact = true })
            : within.GetByRole(AriaRole.Group, new() { Name = legend, Exact = true });
        await group.GetByLabel("Day", new() { Exact = true }).FillAsync(day);
        await group.GetByLabel("Month", new() { Exact = true }).FillAsync(month);
        await group.GetByLabel("Year", new() { Exact = true }).FillAsync(year);
    }

    /// <summary>Runs axe-core on the current page and fails on any serious or critical violation.</summary>
    protected async Task AssertAccessibleAsync()
    {
        var results = await Page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        });
        var serious = results.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")
            .ToList();
        Assert.True(serious.Count == 0, $"Accessibility violations on {Page.Url}:\n" + string.Join("\n", serious));
    }
}
