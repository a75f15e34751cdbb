using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Mail;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Marketplace.IntegrationTests.Bookings;

/// <summary>Booking emails leave through the outbox and MailKit to a real SMTP server started here (Debian's aiosmtpd).</summary>
[Trait("Category", "DateSensitive")]
public class MailDeliveryTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task The_confirmation_reaches_a_real_SMTP_server_with_its_calendar_invitation()
    {
        var maildir = Path.Combine(Path.GetTempPath(), "mkt-maildir-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var sub in new[] { "tmp", "new", "cur" }) Directory.CreateDirectory(Path.Combine(maildir, sub));
        var port = FreePort();
        using var smtp = Process.Start(new ProcessStartInfo("/usr/bin/python3",
            ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir])
            { RedirectStandardError = true, RedirectStandardOutput = true })!;
        try
        {
            await WaitForPortAsync(port);
            var (id, date, reference) = await ConfirmABookingAsync();

            await using var scope = Fixture.App.Services.CreateAsyncScope();
            var options = Options.Create(new MailOptions { SmtpHost = "127.0.0.1", SmtpPort = port, TlsMode = "None", FromAddress = "bookings@york.example" });
            var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
            var dispatcher = new OutboxDispatcher(db, new SmtpMailSender(options), options, Fixture.Clock, NullLogger<OutboxDispatcher>.Instance);
            var sent = await SendBatchAsync(db, dispatcher);
            Assert.Equal(0, await SendBatchAsync(db, dispatcher)); // nothing is sent twice

            var messages = Directory.GetFiles(Path.Combine(maildir, "new")).Select(f => MimeMessage.Load(f)).ToList();
            Assert.Equal(sent, messages.Count);
            var subject = $"Booking {reference} confirmed for {date.ToString("dddd d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"))}";
            // Each of the school's two buyers gets one.
            Assert.Equal([DemoAccounts.YorkBuyer, DemoAccounts.YorkRequester],
                messages.Where(m => m.Subject == subject).Select(m => m.To.Mailboxes.Single().Address).Order());
            var confirmation = messages.Single(m => m.Subject == subject && m.To.Mailboxes.Single().Address == DemoAccounts.YorkBuyer);
            Assert.Equal("bookings@york.example", confirmation.From.Mailboxes.Single().Address);
            Assert.Contains("The calendar invitation is attached", confirmation.TextBody);
            var ics = Assert.Single(confirmation.Attachments.OfType<MimePart>());
            Assert.Equal("text/calendar", ics.ContentType.MimeType);
            using var content = new MemoryStream();
            await ics.Content!.DecodeToAsync(content);
            var calendar = System.Text.Encoding.UTF8.GetString(content.ToArray());
            Assert.Contains("BEGIN:VEVENT", calendar);
            Assert.Contains($"UID:{id:N}@marketplace", calendar);
            Assert.Contains($"DTSTART;VALUE=DATE:{date:yyyyMMdd}", calendar);
            Assert.Contains($"DTEND;VALUE=DATE:{date.AddDays(1):yyyyMMdd}", calendar);
            // Read back as a calendar program would: one all-day event under the booking's UID, first version, organised from the
            // service's address (the one configured when the message was queued).
            var parsed = Ical.Net.Calendar.Load(calendar)!;
            Assert.Equal("PUBLISH", parsed.Method);
            var visit = Assert.Single(parsed.Events);
            var serviceAddress = Fixture.App.Services.GetRequiredService<IOptions<MailOptions>>().Value.FromAddress;
            Assert.Equal(($"{id:N}@marketplace", 0, date, date.AddDays(1), $"mailto:{serviceAddress}"),
                (visit.Uid, visit.Sequence, visit.DtStart!.Date, visit.DtEnd!.Date, visit.Organizer!.Value!.ToString()));
            Assert.Contains(messages, m => (m.Subject ?? "").StartsWith("New booking request") && m.To.Mailboxes.Single().Address == DemoAccounts.YorkProviderTeam);
            Assert.True(await Fixture.DbAsync(db => db.OutboxMessages.Where(m => m.DedupeKey.StartsWith("booking-")).AllAsync(m => m.SentAt != null)));
        }
        finally
        {
            smtp.Kill(entireProcessTree: true);
            Directory.Delete(maildir, recursive: true);
        }
    }

    [Fact]
    public async Task Without_an_SMTP_host_mail_goes_to_the_pickup_folder_and_a_failure_is_retried_later()
    {
        await ConfirmABookingAsync();
        var pickup = Path.Combine(Path.GetTempPath(), "mkt-pickup-" + Guid.NewGuid().ToString("N")[..8]);
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var broken = Options.Create(new MailOptions { SmtpHost = "127.0.0.1", SmtpPort = FreePort(), TlsMode = "None" });
        var failing = new OutboxDispatcher(db, new SmtpMailSender(broken), broken, Fixture.Clock, NullLogger<OutboxDispatcher>.Instance);
        Assert.Equal(0, await SendBatchAsync(db, failing));
        var refused = await db.OutboxMessages.Where(m => m.DedupeKey.StartsWith("booking-")).ToListAsync();
        Assert.All(refused, m => Assert.Equal((null, 1, null), (m.SentAt, m.Attempts, m.FailedAt)));
        Assert.All(refused, m => Assert.Equal($"The mail server 127.0.0.1:{broken.Value.SmtpPort} refused the connection (nothing is listening there).", m.LastError));

        db.ChangeTracker.Clear();
        var options = Options.Create(new MailOptions { PickupDirectory = pickup });
        var dispatcher = new OutboxDispatcher(db, new PickupDirectorySender(options), options, Fixture.Clock, NullLogger<OutboxDispatcher>.Instance);
        var sent = await SendBatchAsync(db, dispatcher);
        Assert.True(sent >= 2);
        Assert.Equal(sent, Directory.GetFiles(pickup, "*.eml").Length);
        Directory.Delete(pickup, recursive: true);
    }

    [Fact]
    public async Task A_message_that_cannot_be_written_is_marked_failed_after_its_tries_and_kept_with_the_reason()
    {
        await ConfirmABookingAsync();
        var notAFolder = Path.Combine(Fixture.MailDirectory, "not-a-folder-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Fixture.MailDirectory);
        await File.WriteAllTextAsync(notAFolder, "a file where the pickup folder should be");
        try
        {
            await using var scope = Fixture.App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
            var options = Options.Create(new MailOptions { PickupDirectory = notAFolder });
            var dispatcher = new OutboxDispatcher(db, new PickupDirectorySender(options), options, Fixture.Clock, NullLogger<OutboxDispatcher>.Instance);
            var queued = await db.OutboxMessages.CountAsync(m => m.DedupeKey.StartsWith("booking-"));
            Assert.True(queued >= 3);

            for (var run = 1; run < OutboxMessage.MaxAttempts; run++) await SendBatchAsync(db, dispatcher);
            db.ChangeTracker.Clear();
            Assert.True(await db.OutboxMessages.Where(m => m.DedupeKey.StartsWith("booking-")).AllAsync(m => m.FailedAt == null && m.Attempts == OutboxMessage.MaxAttempts - 1),
                "still being tried before the last attempt");

            var lastTry = Fixture.Clock.GetUtcNow();
            Assert.Equal(0, await SendBatchAsync(db, dispatcher));
            db.ChangeTracker.Clear();
            var failed = await db.OutboxMessages.Where(m => m.DedupeKey.StartsWith("booking-")).ToListAsync();
            Assert.Equal(queued, failed.Count);
            Assert.All(failed, m =>
            {
                Assert.Null(m.SentAt);
                Assert.Equal(OutboxMessage.MaxAttempts, m.Attempts);
                Assert.NotNull(m.FailedAt);
                Assert.True(m.FailedAt >= lastTry);
                Assert.Equal($"The message could not be written to the pickup folder {notAFolder} (the folder is missing, full or not a folder).", m.LastError);
            });

            // Given up on: a working sender does not pick it up again, and it stays as it was.
            db.ChangeTracker.Clear();
            var working = Options.Create(new MailOptions { PickupDirectory = Path.Combine(Fixture.MailDirectory, "working-" + Guid.NewGuid().ToString("N")[..8]) });
            await SendBatchAsync(db, new OutboxDispatcher(db, new PickupDirectorySender(working), working, Fixture.Clock, NullLogger<OutboxDispatcher>.Instance));
            db.ChangeTracker.Clear();
            Assert.Equal(
                failed.Select(m => (m.Id, m.Attempts, m.FailedAt, m.LastError)).OrderBy(x => x.Id),
                (await db.OutboxMessages.Where(m => m.DedupeKey.StartsWith("booking-")).ToListAsync()).Select(m => (m.Id, m.Attempts, m.FailedAt, m.LastError)).OrderBy(x => x.Id));
            Assert.True(await db.OutboxMessages.Where(m => m.DedupeKey.StartsWith("booking-")).AllAsync(m => m.SentAt == null));
        }
        finally
        {
            File.Delete(notAFolder);
        }
    }

    [Fact]
    public async Task The_outbox_job_command_sends_everything_queued_once()
    {
        await ConfirmABookingAsync();
        var queued = await Fixture.DbAsync(db => db.OutboxMessages.CountAsync(m => m.SentAt == null));
        Assert.True(queued >= 3); // the request to the provider, the confirmation to the school's two buyers

        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<Mediator.IMediator>();
        Assert.Equal(queued, await mediator.Send(new Marketplace.Application.Features.Outbox.DispatchOutbox.Command()));
        Assert.Equal(0, await mediator.Send(new Marketplace.Application.Features.Outbox.DispatchOutbox.Command())); // a rerun sends nothing twice
        Assert.Equal(0, await Fixture.DbAsync(db => db.OutboxMessages.CountAsync(m => m.SentAt == null)));
    }

    /// <summary>One batch with a chosen sender, as <see cref="Marketplace.Application.Features.Outbox.DispatchOutboxBatch"/> runs it: in one transaction, saved by the caller.</summary>
    private static async Task<int> SendBatchAsync(MarketplaceDbContext db, OutboxDispatcher dispatcher)
    {
        await using var tx = await db.Database.BeginTransactionAsync();
        var sent = await dispatcher.SendBatchAsync(500);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return sent;
    }

    private async Task<(Guid Id, DateOnly Date, string Reference)> ConfirmABookingAsync()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.DbAsync(async db =>
        {
            var team = await db.Providers.Where(p => p.Name == "City of York Council School Improvement Team").Select(p => p.Id).SingleAsync();
            return await db.Offers.Where(o => o.ProviderId == team && o.Status == OfferStatus.Published)
                .Join(db.OfferVersions, o => o.PublishedVersionId, v => v.Id, (o, v) => new { o.Id, v.SilverCredits, Practitioner = db.Practitioners.Where(p => p.ProviderId == team).Select(p => p.Id).First() })
                .Where(x => x.SilverCredits != null && x.SilverCredits <= 12).OrderBy(x => x.Id).FirstAsync();
        });
        var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{school.Urn}/bookings")
        {
            Content = JsonContent.Create(new { offerId = offer.Id, quantity = 1, notes = "Maths, Year 6" }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var booked = await (await buyer.SendAsync(request)).JsonAsync(HttpStatusCode.Created);
        var id = booked.GetProperty("id").GetGuid();
        var date = Fixture.WorkingDay(15);
        var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/confirm", new { practitionerId = offer.Practitioner, dates = new[] { date.ToString("yyyy-MM-dd") } }))
            .JsonAsync(HttpStatusCode.OK);
        return (id, date, booked.GetProperty("reference").GetString()!);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) { await Task.Delay(100); }
        }
        throw new TimeoutException($"The SMTP server did not start on port {port}");
    }
}
