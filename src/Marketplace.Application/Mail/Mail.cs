using System.Globalization;
using System.Text;
using Marketplace.Application.Data;
using Marketplace.Domain.Common;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Marketplace.Application.Mail;

/// <summary>
/// Mail settings ("Mail" section). With an SMTP host, messages go through MailKit; without one (the
/// embedded default), they are written as .eml files to the pickup directory and listed at /admin/mail.
/// The pickup directory is the instance's own: the host fills it in when it is not configured (beside the
/// embedded database's data, or a folder for the configured database), never one folder that every
/// instance on the machine shares.
/// </summary>
public sealed class MailOptions
{
    public string FromAddress { get; set; } = "no-reply@marketplace.localhost";
    public string FromName { get; set; } = "School Improvement Marketplace";
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 587;

    /// <summary>None, Auto, SslOnConnect, StartTls or StartTlsWhenAvailable (MailKit's SecureSocketOptions).</summary>
    public string TlsMode { get; set; } = "StartTls";

    public string? Username { get; set; }
    public string? Password { get; set; }
    public string PickupDirectory { get; set; } = "";
}

public interface IMailSender
{
    Task SendAsync(MimeMessage message, CancellationToken ct);
}

public sealed class SmtpMailSender(IOptions<MailOptions> options) : IMailSender
{
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        var o = options.Value;
        using var client = new SmtpClient();
        await client.ConnectAsync(o.SmtpHost ?? throw new InvalidOperationException("Mail:SmtpHost is not set."), o.SmtpPort, Enum.Parse<SecureSocketOptions>(o.TlsMode, ignoreCase: true), ct);
        if (!string.IsNullOrEmpty(o.Username)) await client.AuthenticateAsync(o.Username, o.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
    }
}

public sealed class PickupDirectorySender(IOptions<MailOptions> options) : IMailSender
{
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        var folder = options.Value.PickupDirectory;
        if (string.IsNullOrWhiteSpace(folder)) throw new MailFailureException("No pickup folder is set for mail, and no mail server either.");
        // Messages name people and their email addresses: the folder is the app's user's alone.
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(folder, $"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}.eml");
        await message.WriteToAsync(path, ct);
    }
}

/// <summary>
/// Sends what the outbox holds: claims a batch with FOR UPDATE SKIP LOCKED (two dispatchers never send
/// one message twice), sends each, and marks it sent; a failure is recorded with its reason in plain words
/// and retried next run, and after <see cref="OutboxMessage.MaxAttempts"/> tries the message is marked
/// failed (kept, shown at /admin/mail, not tried again). It runs in the caller's transaction (the claim's
/// row locks last until it commits) and the caller saves the marks (<see cref="Features.Outbox.DispatchOutboxBatch"/>).
/// </summary>
public sealed class OutboxDispatcher(MarketplaceDbContext db, IMailSender sender, IOptions<MailOptions> options, TimeProvider clock,
    ILogger<OutboxDispatcher> logger)
{
    public const int MaxAttempts = OutboxMessage.MaxAttempts;

    public async Task<int> SendBatchAsync(int batchSize = 50, CancellationToken ct = default)
    {
        var batch = await db.OutboxMessages
            .FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL AND failed_at IS NULL AND attempts < {MaxAttempts} ORDER BY created_at LIMIT {batchSize} FOR UPDATE SKIP LOCKED")
            .ToListAsync(ct);
        var sent = 0;
        foreach (var message in batch)
        {
            try
            {
                await sender.SendAsync(ToMime(message, options.Value), ct);
                message.MarkSent(clock.GetUtcNow());
                sent++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var reason = MailFailure.Reason(e, options.Value, sender is PickupDirectorySender);
                message.MarkFailed(reason.Length > 2000 ? reason[..2000] : reason, clock.GetUtcNow());
                if (message.FailedAt is null) logger.LogWarning(e, "Could not send outbox message {Id} (attempt {Attempt}); it will be tried again", message.Id, message.Attempts);
                else logger.LogError(e, "Gave up on outbox message {Id} after {Attempts} attempts: it is marked failed and shown at /admin/mail", message.Id, message.Attempts);
            }
        }
        return sent;
    }

    public static MimeMessage ToMime(OutboxMessage m, MailOptions o)
    {
        var message = new MimeMessage { Subject = m.Subject, MessageId = $"{m.Id:N}@marketplace" };
        message.From.Add(new MailboxAddress(o.FromName, o.FromAddress));
        message.To.Add(new MailboxAddress(m.ToName, m.ToAddress));
        var body = new BodyBuilder { TextBody = m.Body };
        if (m.AttachmentName is not null)
            body.Attachments.Add(m.AttachmentName, Encoding.UTF8.GetBytes(m.AttachmentContent ?? ""), ContentType.Parse(m.AttachmentContentType ?? "application/octet-stream"));
        message.Body = body.ToMessageBody();
        return message;
    }
}
