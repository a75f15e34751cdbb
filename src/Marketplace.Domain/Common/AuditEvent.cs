namespace Marketplace.Domain.Common;

/// <summary>Who did what, when and why: append-only (the database refuses updates and deletes).</summary>
public class AuditEvent
{
    private AuditEvent() { }

    public AuditEvent(Guid id, DateTimeOffset at, Guid? actorUserId, string actorName, Guid? localAuthorityId, Guid? schoolId,
        string action, string detail, string? reason)
    {
        Id = id;
        At = at;
        ActorUserId = actorUserId;
        ActorName = actorName;
        LocalAuthorityId = localAuthorityId;
        SchoolId = schoolId;
        Action = action;
        Detail = detail;
        Reason = reason;
    }

    public Guid Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public Guid? ActorUserId { get; private set; }

    /// <summary>The person's name at the time, or "Marketplace (automatic)" for rules the system applied.</summary>
    public string ActorName { get; private set; } = "";

    public Guid? LocalAuthorityId { get; private set; }
    public Guid? SchoolId { get; private set; }

    /// <summary>A stable code, e.g. "concern.enrolled", "concern.override", "ofsted.recorded".</summary>
    public string Action { get; private set; } = "";

    public string Detail { get; private set; } = "";
    public string? Reason { get; private set; }
}

/// <summary>
/// An email waiting to be sent. Written in the same transaction as the change it reports, so a message
/// is queued exactly when the change commits; the unique dedupe key stops a rerun queueing it twice.
/// </summary>
public class OutboxMessage
{
    private OutboxMessage() { }

    public OutboxMessage(Guid id, string dedupeKey, string toAddress, string toName, string subject, string body, DateTimeOffset createdAt)
    {
        Id = id;
        DedupeKey = dedupeKey;
        ToAddress = toAddress;
        ToName = toName;
        Subject = subject;
        Body = body;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string DedupeKey { get; private set; } = "";
    public string ToAddress { get; private set; } = "";
    public string ToName { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public string Body { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>One optional attachment, e.g. an iCalendar invitation ("booking.ics", "text/calendar").</summary>
    public string? AttachmentName { get; private set; }

    public string? AttachmentContentType { get; private set; }
    public string? AttachmentContent { get; private set; }

    public OutboxMessage WithAttachment(string name, string contentType, string content)
    {
        AttachmentName = name;
        AttachmentContentType = contentType;
        AttachmentContent = content;
        return this;
    }

    /// <summary>
    /// When it was given up on: <see cref="MaxAttempts"/> tries failed. It is kept, with its attempts and
    /// the last reason, and listed for platform admins; it is never tried again by itself.
    /// </summary>
    public DateTimeOffset? FailedAt { get; private set; }

    /// <summary>Tries before a message is marked failed (the outbox is sent every minute).</summary>
    public const int MaxAttempts = 10;

    public void MarkSent(DateTimeOffset at) { SentAt = at; Attempts++; LastError = null; }

    /// <summary>One failed try, with the reason in words an admin can act on; the last allowed try marks it failed.</summary>
    public void MarkFailed(string reason, DateTimeOffset at)
    {
        Attempts++;
        LastError = reason;
        if (Attempts >= MaxAttempts) FailedAt = at;
    }
}
