using System.Net;
using Hangfire;
using Hangfire.Storage;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Features.Credits;
using Marketplace.IntegrationTests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;

namespace Marketplace.IntegrationTests.Credits;

/// <summary>
/// The ledger invariants run as a command (nightly from Hangfire, on demand from /admin/ledger); the last
/// result is kept and shown to platform admins. A breach is made deliberately as the schema's owner, the
/// only role that can write the ledger tables directly, and undone before the test ends.
/// </summary>
public class LedgerCheckTests(MarketplaceFixture fixture) : BrowserTest(fixture)
{
    private async Task<CheckLedgerInvariants.Result> CheckAsync()
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new CheckLedgerInvariants.Command(CheckLedgerInvariants.Nightly));
    }

    private async Task<GetLastLedgerCheck.Result?> LastAsync()
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetLastLedgerCheck.Query());
    }

    /// <summary>Adds credits to one wallet's cached balance without entries: exactly what the invariants exist to catch.</summary>
    private async Task<Guid> BreakOneWalletAsync(int by)
    {
        await using var conn = new NpgsqlConnection(Fixture.OwnerConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            UPDATE ledger_accounts SET balance = balance + $1
            WHERE id = (SELECT id FROM ledger_accounts WHERE kind = 'SchoolWallet' ORDER BY id LIMIT 1) RETURNING id
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (long)by });
        return (Guid)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_clean_ledger_passes_the_check_and_the_result_is_kept()
    {
        Assert.Null(await LastAsync());

        var result = await CheckAsync();

        Assert.False(result.Breached);
        var last = await LastAsync();
        Assert.NotNull(last);
        Assert.Equal((CheckLedgerInvariants.Nightly, result.CheckedAt, 0), (last.Trigger, last.CheckedAt, last.Violations.Count));
    }

    [Fact]
    public async Task A_breach_is_found_named_and_kept()
    {
        var wallet = await BreakOneWalletAsync(3);
        try
        {
            var result = await CheckAsync();

            Assert.True(result.Breached);
            Assert.Contains($"cached balance equals entries: {wallet}", result.Violations);
            Assert.Contains($"wallet balance equals its grants: {wallet}", result.Violations);
            Assert.Equal(result.Violations, (await LastAsync())!.Violations);
        }
        finally
        {
            await BreakOneWalletAsync(-3);
        }
    }

    [Fact]
    public async Task The_check_runs_nightly_as_a_recurring_job()
    {
        using var connection = Fixture.App.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = connection.GetRecurringJobs().SingleOrDefault(j => j.Id == Marketplace.Web.Jobs.LedgerJobs.RecurringJobId);

        Assert.NotNull(job);
        Assert.Equal("0 3 * * *", job.Cron);
        Assert.Equal("Europe/London", job.TimeZoneId);
        Assert.Equal(typeof(Marketplace.Web.Jobs.LedgerJobs), job.Job.Type);
    }

    [Fact]
    public async Task Only_platform_admins_reach_the_ledger_check_page()
    {
        using var anonymous = Fixture.Client();
        var redirected = await anonymous.GetAsync("/admin/ledger");
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.StartsWith("/account/sign-in", redirected.Headers.Location!.OriginalString.Replace(Fixture.BaseAddress.ToString().TrimEnd('/'), ""));

        // Pages read the browser's cookie (never a bearer token): sign in through the form as a browser would.
        foreach (var user in new[] { DemoAccounts.YorkBuyer, DemoAccounts.YorkCommissioner, DemoAccounts.YorkProviderTeam })
        {
            using var browser = await Security.BrowserSession.SignInAsync(Fixture.BaseAddress, user);
            var response = await browser.Client.GetAsync("/admin/ledger");
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, $"{user}: {response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.Redirect) Assert.Contains("/account/access-denied", response.Headers.Location!.OriginalString);
        }
        using var admin = await Security.BrowserSession.SignInAsync(Fixture.BaseAddress, DemoAccounts.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/admin/ledger")).StatusCode);
    }

    [Fact]
    public async Task A_platform_admin_runs_the_check_from_the_admin_area_and_sees_a_breach()
    {
        await SignInAsync(DemoAccounts.Admin);
        await Page.GotoAsync("/admin/ledger");
        await Assertions.Expect(Page.Locator("#ledger-check-result")).ToContainTextAsync("The ledger has not been checked yet");
        await AssertAccessibleAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Check the ledger now" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#ledger-check-result")).ToContainTextAsync("The ledger holds its rules");
        await Assertions.Expect(Page.Locator("#ledger-check-result")).ToContainTextAsync("checked on demand");

        var wallet = await BreakOneWalletAsync(2);
        try
        {
            await Page.GetByRole(AriaRole.Button, new() { Name = "Check the ledger now" }).ClickAsync();
            await Assertions.Expect(Page.Locator("#ledger-check-result")).ToContainTextAsync("The ledger breaks its rules: 2 problems");
            await Assertions.Expect(Page.Locator("#ledger-check-result")).ToContainTextAsync($"cached balance equals entries: {wallet}");
            await AssertAccessibleAsync();
        }
        finally
        {
            await BreakOneWalletAsync(-2);
        }
    }
}
