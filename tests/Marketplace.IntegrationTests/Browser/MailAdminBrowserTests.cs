using System.Net;
using System.Net.Sockets;
using Marketplace.Application.Data;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Mail;
using Marketplace.Domain.Common;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace Marketplace.IntegrationTests.Browser;

/// <summary>Platform admins see at /admin/mail every message that could not be sent, whether given up on or still being tried, and why, in plain words.</summary>
public class MailAdminBrowserTests(MarketplaceFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_platform_admin_sees_failed_mail_with_its_reason()
    {
        var port = FreePort(); // nothing listens there: every try is refused
        var smtp = Options.Create(new MailOptions { SmtpHost = "127.0.0.1", SmtpPort = port, TlsMode = "None" });
        await QueueAsync("Given up on: renewal proposal");
        for (var run = 0; run < OutboxMessage.MaxAttempts; run++) await SendBatchAsync(smtp);
        await QueueAsync("Still being tried: booking confirmed");
        await SendBatchAsync(smtp);

        await SignInAsync(DemoAccounts.Admin);
        await Page.GotoAsync("/admin/mail");

        var reason = $"The mail server 127.0.0.1:{port} refused the connection (nothing is listening there).";
        var failed = Page.Locator("#undelivered-mail tr", new() { HasText = "Given up on: renewal proposal" });
        await Assertions.Expect(failed).ToContainTextAsync("Failed");
        await Assertions.Expect(failed).ToContainTextAsync($"after {OutboxMessage.MaxAttempts} tries");
        await Assertions.Expect(failed).ToContainTextAsync(reason);
        await Assertions.Expect(failed).ToContainTextAsync("head@school.example");
        var retrying = Page.Locator("#undelivered-mail tr", new() { HasText = "Still being tried: booking confirmed" });
        await Assertions.Expect(retrying).ToContainTextAsync("Trying again");
        await Assertions.Expect(retrying).ToContainTextAsync($"1 of {OutboxMessage.MaxAttempts} tries so far");
        await Assertions.Expect(retrying).ToContainTextAsync(reason);
        await AssertAccessibleAsync();
    }

    private async Task QueueAsync(string subject)
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        db.OutboxMessages.Add(new OutboxMessage(Guid.NewGuid(), "admin-mail-test-" + Guid.NewGuid().ToString("N"), "head@school.example", "Head Teacher",
            subject, "Hello.", Fixture.Clock.GetUtcNow()));
        await db.SaveChangesAsync();
    }

    /// <summary>One dispatch run through the given SMTP settings, as the outbox job's batch runs it: in one transaction.</summary>
    private async Task SendBatchAsync(IOptions<MailOptions> smtp)
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var dispatcher = new OutboxDispatcher(db, new SmtpMailSender(smtp), smtp, Fixture.Clock, NullLogger<OutboxDispatcher>.Instance);
        await using var tx = await db.Database.BeginTransactionAsync();
        await dispatcher.SendBatchAsync(500);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
