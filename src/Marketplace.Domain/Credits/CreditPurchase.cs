namespace Marketplace.Domain.Credits;

public enum PurchaseStatus
{
    /// <summary>Recorded on the school's account, to be invoiced by the next invoice run.</summary>
    OnAccount,
    Invoiced,
    Paid,
}

/// <summary>A school's top-up of credits. Its id is the ledger transaction that granted the credits.</summary>
public class CreditPurchase
{
    private CreditPurchase() { }

    public CreditPurchase(Guid id, Guid schoolId, Guid sellerLaId, int credits, long unitPricePence, string? purchaseOrderNumber,
        DateOnly expiresOn, Guid? createdByUserId, DateTimeOffset createdAt)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(credits);
        ArgumentOutOfRangeException.ThrowIfNegative(unitPricePence);
        Id = id;
        SchoolId = schoolId;
        SellerLaId = sellerLaId;
        Credits = credits;
        UnitPricePence = unitPricePence;
        TotalPence = checked(credits * unitPricePence);
        PurchaseOrderNumber = purchaseOrderNumber;
        ExpiresOn = expiresOn;
        CreatedByUserId = createdByUserId;
        CreatedAt = createdAt;
        Status = PurchaseStatus.OnAccount;
    }

    public Guid Id { get; private set; }
    public Guid SchoolId { get; private set; }
    public Guid SellerLaId { get; private set; }
    public int Credits { get; private set; }
    public long UnitPricePence { get; private set; }
    public long TotalPence { get; private set; }
    public string? PurchaseOrderNumber { get; private set; }
    public DateOnly ExpiresOn { get; private set; }
    public PurchaseStatus Status { get; private set; }
    public Guid? CreatedByUserId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}
