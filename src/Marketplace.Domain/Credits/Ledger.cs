namespace Marketplace.Domain.Credits;

/// <summary>
/// Accounts of the credits ledger. Balances are in credits and mean "credits held by this party";
/// issuing accounts (an LA's deferred income) go negative by the credits they have issued and not yet
/// seen spent or expired, so every transaction sums to zero.
/// </summary>
public enum LedgerAccountKind
{
    /// <summary>A school's credits. Never below zero.</summary>
    SchoolWallet,

    /// <summary>Credits a provider (external consultant or school-to-school provider) has earned.</summary>
    ProviderEarnings,

    /// <summary>Credits spent with the LA's own traded service: the LA's income.</summary>
    LaRevenue,

    /// <summary>The LA's issuing account: minus the credits it has sold or granted (prepaid, deferred income).</summary>
    LaDeferredIncome,

    /// <summary>A commissioning fund's credits. Never below zero.</summary>
    Fund,

    /// <summary>Credits that expired unused (breakage), per LA.</summary>
    Expiry,

    /// <summary>Credits held against a booking until it is signed off or cancelled.</summary>
    BookingHold,
}

public enum LedgerTransactionKind
{
    Purchase,
    AllowanceGrant,
    FundedGrant,
    EarnedGrant,
    Spend,
    Expiry,
    Reversal,

    /// <summary>Credits held for a booking go back to the wallet, to the grants they came from.</summary>
    Release,

    /// <summary>Held credits go to the provider's side when a booking is signed off or charged for.</summary>
    Capture,
}

public class LedgerAccount
{
    private LedgerAccount() { }

    public LedgerAccount(Guid id, LedgerAccountKind kind, Guid? localAuthorityId, Guid? schoolId = null, Guid? providerId = null, Guid? ownerId = null)
    {
        Id = id;
        Kind = kind;
        LocalAuthorityId = localAuthorityId;
        SchoolId = schoolId;
        ProviderId = providerId;
        OwnerId = ownerId;
        AllowNegative = kind == LedgerAccountKind.LaDeferredIncome;
        Balance = CachesBalance(kind) ? 0 : null;
    }

    /// <summary>
    /// Only accounts that must never go below zero keep a cached balance, updated in the same database
    /// transaction as their entries and guarded by a CHECK constraint. The LA's and providers' accounts
    /// receive every school's movements, so a cached balance there would be one hot row that every
    /// purchase and spend queues on; their balance is the sum of their entries, read when reported.
    /// </summary>
    public static bool CachesBalance(LedgerAccountKind kind) =>
        kind is LedgerAccountKind.SchoolWallet or LedgerAccountKind.Fund or LedgerAccountKind.BookingHold;

    public Guid Id { get; private set; }
    public LedgerAccountKind Kind { get; private set; }
    public Guid? LocalAuthorityId { get; private set; }
    public Guid? SchoolId { get; private set; }
    public Guid? ProviderId { get; private set; }

    /// <summary>For funds and booking holds: the fund's or booking's id.</summary>
    public Guid? OwnerId { get; private set; }

    /// <summary>
    /// Cached from the entries, in the same database transaction, for wallets, funds and holds (null for
    /// the accounts that are summed when read, see <see cref="CachesBalance"/>); checked by the invariant tests.
    /// </summary>
    public long? Balance { get; private set; }

    public bool AllowNegative { get; private set; }
}

/// <summary>One balanced movement. Its idempotency key is unique: a retry finds the first one.</summary>
public class LedgerTransaction
{
    private LedgerTransaction() { }

    public LedgerTransaction(Guid id, string idempotencyKey, LedgerTransactionKind kind, Guid? schoolId, string description,
        DateTimeOffset occurredAt, string? reference = null, Guid? reversesTransactionId = null)
    {
        Id = id;
        IdempotencyKey = idempotencyKey;
        Kind = kind;
        SchoolId = schoolId;
        Description = description;
        OccurredAt = occurredAt;
        Reference = reference;
        ReversesTransactionId = reversesTransactionId;
    }

    public Guid Id { get; private set; }
    public string IdempotencyKey { get; private set; } = "";
    public LedgerTransactionKind Kind { get; private set; }
    public Guid? SchoolId { get; private set; }
    public string Description { get; private set; } = "";

    /// <summary>A purchase-order number, booking reference or similar that people search by.</summary>
    public string? Reference { get; private set; }

    public Guid? ReversesTransactionId { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
}

/// <summary>An entry: never updated or deleted (the database refuses); a correction is a reversal.</summary>
public class LedgerEntry
{
    private LedgerEntry() { }

    public LedgerEntry(Guid transactionId, Guid accountId, long amount, Guid? grantId)
    {
        if (amount == 0) throw new ArgumentOutOfRangeException(nameof(amount), "An entry moves at least one credit.");
        TransactionId = transactionId;
        AccountId = accountId;
        Amount = amount;
        GrantId = grantId;
    }

    public long Id { get; private set; }
    public Guid TransactionId { get; private set; }
    public Guid AccountId { get; private set; }

    /// <summary>Which grant's credits moved: every wallet credit belongs to a grant, so spends are traceable.</summary>
    public Guid? GrantId { get; private set; }

    public long Amount { get; private set; }
}

/// <summary>
/// A parcel of credits in a school's wallet with its origin, expiry and cost basis. Spends draw down
/// <see cref="Remaining"/>; the database keeps it between zero and <see cref="Credits"/>.
/// </summary>
public class CreditGrant
{
    private CreditGrant() { }

    public CreditGrant(Guid id, Guid walletAccountId, Guid schoolId, Guid issuedByLaId, CreditSource source, int credits,
        DateOnly expiresOn, long costBasisPencePerCredit, DateTimeOffset grantedAt, Guid transactionId, Guid? fundId = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(credits);
        ArgumentOutOfRangeException.ThrowIfNegative(costBasisPencePerCredit);
        Id = id;
        WalletAccountId = walletAccountId;
        SchoolId = schoolId;
        IssuedByLaId = issuedByLaId;
        Source = source;
        Credits = credits;
        Remaining = credits;
        ExpiresOn = expiresOn;
        CostBasisPencePerCredit = costBasisPencePerCredit;
        GrantedAt = grantedAt;
        TransactionId = transactionId;
        FundId = fundId;
    }

    public Guid Id { get; private set; }
    public Guid WalletAccountId { get; private set; }
    public Guid SchoolId { get; private set; }
    public Guid IssuedByLaId { get; private set; }
    public CreditSource Source { get; private set; }
    public int Credits { get; private set; }
    public int Remaining { get; private set; }
    public DateOnly ExpiresOn { get; private set; }

    /// <summary>What one credit of this grant cost the payer, in pence (zero for earned credits).</summary>
    public long CostBasisPencePerCredit { get; private set; }

    public DateTimeOffset GrantedAt { get; private set; }
    public Guid TransactionId { get; private set; }
    public Guid? FundId { get; private set; }
}
