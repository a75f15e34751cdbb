using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Common;

/// <summary>
/// Queues emails in the outbox inside the caller's unit of work, so a message exists exactly when the
/// change it reports commits. The dedupe key (event + recipient) keeps a rerun from queueing it twice.
/// Delivery through MailKit is the payments issue's job.
/// </summary>
public sealed class Notifier(MarketplaceDbContext db, TimeProvider clock)
{
    public sealed record Attachment(string Name, string ContentType, string Content);

    public async Task ToSchoolAsync(Guid schoolId, string eventKey, string subject, string body, CancellationToken ct, Attachment? attachment = null)
    {
        var people = await db.Users.AsNoTracking().Where(u => u.SchoolId == schoolId && u.Email != null)
            .Select(u => new { u.Email, u.DisplayName }).ToListAsync(ct);
        foreach (var p in people) await QueueAsync(eventKey, p.Email!, p.DisplayName, subject, body, ct, attachment);
    }

    /// <param name="fresh">The event key is new (it names something created in this transaction), so no earlier message can share it.</param>
    public async Task ToProviderAsync(Guid providerId, string eventKey, string subject, string body, CancellationToken ct, Attachment? attachment = null,
        bool fresh = false)
    {
        var people = await db.Users.AsNoTracking().Where(u => u.ProviderId == providerId && u.Email != null)
            .Select(u => new { u.Email, u.DisplayName }).ToListAsync(ct);
        foreach (var p in people) await QueueAsync(eventKey, p.Email!, p.DisplayName, subject, body, ct, attachment, fresh);
    }

    public async Task ToCommissionersAsync(Guid localAuthorityId, string eventKey, string subject, string body, CancellationToken ct)
    {
        var roleId = await db.Roles.Where(r => r.Name == Roles.LaCommissioner).Select(r => r.Id).SingleOrDefaultAsync(ct);
        var people = await db.Users.AsNoTracking()
            .Where(u => u.LocalAuthorityId == localAuthorityId && u.Email != null && db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == roleId))
            .Select(u => new { u.Email, u.DisplayName }).ToListAsync(ct);
        foreach (var p in people) await QueueAsync(eventKey, p.Email!, p.DisplayName, subject, body, ct);
    }

    private async Task QueueAsync(string eventKey, string to, string name, string subject, string body, CancellationToken ct, Attachment? attachment = null,
        bool fresh = false)
    {
        var key = $"{eventKey}:{to.ToLowerInvariant()}";
        if (db.OutboxMessages.Local.Any(m => m.DedupeKey == key) || (!fresh && await db.OutboxMessages.AnyAsync(m => m.DedupeKey == key, ct))) return;
        var message = new OutboxMessage(Guid.CreateVersion7(), key, to, name, subject, body, clock.GetUtcNow());
        if (attachment is not null) message.WithAttachment(attachment.Name, attachment.ContentType, attachment.Content);
        db.OutboxMessages.Add(message);
    }
}
