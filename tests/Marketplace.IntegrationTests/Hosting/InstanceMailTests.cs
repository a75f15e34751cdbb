using Marketplace.Application.Data;
using Marketplace.Application.Features.Outbox;
using Marketplace.Application.Mail;
using Marketplace.Domain.Common;
using Marketplace.IntegrationTests.Infrastructure;
using Marketplace.Web.Hosting;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Marketplace.IntegrationTests.Hosting;

/// <summary>
/// Two instances of the embedded default on one machine (each `dotnet run` with its own folder) keep their
/// mail apart: each writes to the pickup folder beside its own data, not to one folder in the machine's temp.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class InstanceMailTests
{
    [Fact]
    public async Task Two_instances_on_one_machine_keep_their_mail_apart()
    {
        string[] roots = [NewRoot(), NewRoot()];
        try
        {
            var folders = new List<string>();
            foreach (var (root, i) in roots.Select((r, i) => (r, i)))
            {
                await using var app = new EmbeddedDefaultApp(root);
                using var client = app.CreateClient(); // starts the host: its own cluster, migrated
                var folder = app.Services.GetRequiredService<IOptions<MailOptions>>().Value.PickupDirectory;
                folders.Add(folder);

                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
                db.OutboxMessages.Add(new OutboxMessage(Guid.NewGuid(), $"instance-test-{i}", $"head{i}@school.example", $"Head {i}",
                    $"For instance {i} only", "Hello.", TestNow.Instant));
                await db.SaveChangesAsync();
                Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new DispatchOutbox.Command()));
            }

            Assert.Equal([Path.Combine(roots[0], "mail"), Path.Combine(roots[1], "mail")], folders);
            Assert.DoesNotContain(Path.Combine(Path.GetTempPath(), "marketplace-mail"), folders);
            foreach (var (folder, i) in folders.Select((f, i) => (f, i)))
            {
                var subjects = Directory.GetFiles(folder, "*.eml").Select(f => MimeMessage.Load(f).Subject).ToList();
                Assert.Equal([$"For instance {i} only"], subjects);
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            }
        }
        finally
        {
            foreach (var root in roots)
                if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    private static string NewRoot() => Path.Combine(Path.GetTempPath(), "mkt-instance-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The app as `dotnet run` starts it with no database configured: its own embedded cluster in <paramref name="root"/>.</summary>
    private sealed class EmbeddedDefaultApp(string root) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Marketplace", "");
            builder.UseSetting("EmbeddedPostgres:RootDirectory", root);
            builder.UseSetting("DemoWorld:Seed", "false");
            builder.UseSetting("Hangfire:Server", "false");
            builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
            builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(new TestClock()));
        }
    }
}
