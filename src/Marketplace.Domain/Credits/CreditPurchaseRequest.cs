namespace Marketplace.Domain.Credits;

public enum PurchaseRequestStatus
{
    Pending,
    Approved,
    Declined,
}

/// <summary>
/// A purchase a buyer who may not commit the school's spend asked for above the LA's approval limit. Nothing is
/// charged until one of the school's approvers approves it; the purchase is then priced again at approval time.
/// </summary>
public class CreditPurchaseRequest
{
    private CreditPurchaseRequest() { }

    public CreditPurchaseRequest(Guid id, Guid schoolId, int credits, string? purchaseOrderNumber, long quotedTotalPence,
        string idempotencyKey, string requestHash, Guid requestedByUserId, DateTimeOffset requestedAt)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(credits);
        ArgumentOutOfRangeException.ThrowIfNegative(quotedTotalPence);
        Id = id;
        SchoolId = schoolId;
        Credits = credits;
        PurchaseOrderNumber = purchaseOrderNumber;
        QuotedTotalPence = quotedTotalPence;
        IdempotencyKey = idempotencyKey;
        RequestHash = requestHash;
        RequestedByUserId = requestedByUserId;
        RequestedAt = requestedAt;
        Status = PurchaseRequestStatus.Pending;
    }

    public Guid Id { get; private set; }
    public Guid SchoolId { get; private set; }
    public int Credits { get; private set; }
    public string? PurchaseOrderNumber { get; private set; }

    /// <summary>The total the requester was shown; the approver is shown (and pays) the price on the day of approval.</summary>
    public long QuotedTotalPence { get; private set; }

    /// <summary>The client's Idempotency-Key, unique per school, so a retried request records one request.</summary>
    public string IdempotencyKey { get; private set; } = "";

    public string RequestHash { get; private set; } = "";
    public PurchaseRequestStatus Status { get; private set; }
    public Guid RequestedByUserId { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public Guid? DecidedByUserId { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DeclineReason { get; private set; }

    /// <summary>The purchase made on approval.</summary>
    public Guid? PurchaseId { get; private set; }
}
