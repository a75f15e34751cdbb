using System.Data;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Credits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Marketplace.Application.Credits;

/// <summary>
/// Writes to the double-entry credits ledger. Every method is atomic and idempotent by its key (a
/// unique index on ledger_transactions.idempotency_key): a retry, or a second request racing the first,
/// gets the first result and moves nothing. Every write is one call of a PostgreSQL function (ledger_grant,
/// ledger_spend, ledger_release, ledger_capture, ledger_earn, ledger_expire; see the LedgerEdges migration,
/// ADR 0008 and ADR 0015), which answers with a status ('done', 'replayed', ...) and typed data, and is the
/// only way the app's database role can change the ledger tables. A spend locks the
/// wallet row, draws on grants in the order <see cref="SpendOrder"/> specifies, and relies on
/// conditional updates and CHECK constraints so that no wallet or grant can go below zero whatever
/// the code above does. A database trigger refuses any transaction whose entries do not sum to zero,
/// and any update or delete of an entry.
/// </summary>
public sealed class CreditLedger(MarketplaceDbContext db, TimeProvider clock)
{
    public sealed record GrantRequest(
        string IdempotencyKey,
        LedgerTransactionKind Kind,
        Guid SchoolId,
        Guid IssuingLaId,
        CreditSource Source,
        int Credits,
        DateOnly ExpiresOn,
        long CostBasisPencePerCredit,
        string Description,
        string? Reference = null,
        string? RequestHash = null,
        DateTimeOffset? OccurredAt = null);

    public sealed record GrantResult(Guid TransactionId, Guid GrantId, bool Replayed, string? RequestHash);

    public sealed record SpendRequest(
        string IdempotencyKey,
        Guid SchoolId,
        int Credits,
        Guid OfferId,
        Guid DestinationAccountId,
        string Description,
        string? Reference = null,
        DateTimeOffset? OccurredAt = null);

    public sealed record SpendResult(Guid TransactionId, IReadOnlyList<GrantDraw> Draws, bool Replayed);

    /// <summary>Finds or creates the account for its owner (unique per kind and owner).</summary>
    public async Task<Guid> AccountAsync(LedgerAccountKind kind, Guid? localAuthorityId = null, Guid? schoolId = null,
        Guid? providerId = null, Guid? ownerId = null, CancellationToken ct = default)
    {
        await using var cmd = await CommandAsync("SELECT ledger_account(@kind, @la, @school, @provider, @owner)", ct);
        cmd.Parameters.AddWithValue("kind", kind.ToString());
        AddNullable(cmd, "la", localAuthorityId);
        AddNullable(cmd, "school", schoolId);
        AddNullable(cmd, "provider", providerId);
        AddNullable(cmd, "owner", ownerId);
        return (Guid)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Puts credits into a school's wallet as a new grant, issued from the LA's deferred income: one call
    /// of the ledger_grant function (one round trip; atomic on its own or inside the caller's transaction).
    /// </summary>
    public async Task<GrantResult> GrantAsync(GrantRequest request, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.Credits);
        ArgumentOutOfRangeException.ThrowIfNegative(request.CostBasisPencePerCredit);
        await using var cmd = await CommandAsync(
            "SELECT * FROM ledger_grant($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)", ct);
        Add(cmd, Guid.CreateVersion7(), Guid.CreateVersion7(), request.IdempotencyKey, request.Kind.ToString(), request.SchoolId,
            request.IssuingLaId, request.Source.ToString(), request.Credits, request.ExpiresOn, request.CostBasisPencePerCredit,
            request.Description, (object?)request.Reference ?? DBNull.Value, (object?)request.RequestHash ?? DBNull.Value,
            request.OccurredAt ?? clock.GetUtcNow());
        cmd.Parameters[11].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        cmd.Parameters[12].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new GrantResult(reader.GetGuid(1), reader.GetGuid(2), Replayed(reader.GetString(0)), reader.IsDBNull(3) ? null : reader.GetString(3));
    }

    public sealed record PurchaseOutcome(Guid TransactionId, bool Replayed, string? RequestHash);

    /// <summary>
    /// Records a purchase and grants its credits in one statement (the grant function and the purchase
    /// row together, atomic without a separate transaction), so a school's wallet row is locked only for
    /// that statement. Idempotent by key: a replay writes nothing and returns the first transaction.
    /// </summary>
    public async Task<PurchaseOutcome> PurchaseAsync(CreditPurchase purchase, string idempotencyKey, string requestHash, string description,
        CancellationToken ct = default)
    {
        await using var cmd = await CommandAsync("""
            WITH g AS MATERIALIZED (SELECT * FROM ledger_grant($1, $2, $3, 'Purchase', $4, $5, 'Purchased', $6, $7, $8, $9, $10, $11, $12)),
            p AS (
                INSERT INTO credit_purchases (id, school_id, seller_la_id, credits, unit_price_pence, total_pence, purchase_order_number,
                    expires_on, status, created_by_user_id, created_at)
                SELECT g.out_transaction_id, $4, $5, $6, $8, $13, $10, $7, $14, $15, $12 FROM g WHERE g.out_status = 'done'
                RETURNING id)
            SELECT g.out_transaction_id, g.out_status, g.out_hash FROM g
            """, ct);
        Add(cmd, purchase.Id, Guid.CreateVersion7(), idempotencyKey, purchase.SchoolId, purchase.SellerLaId, purchase.Credits, purchase.ExpiresOn,
            purchase.UnitPricePence, description, (object?)purchase.PurchaseOrderNumber ?? DBNull.Value, requestHash, purchase.CreatedAt,
            purchase.TotalPence, purchase.Status.ToString(), (object?)purchase.CreatedByUserId ?? DBNull.Value);
        cmd.Parameters[9].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        cmd.Parameters[14].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new PurchaseOutcome(reader.GetGuid(0), Replayed(reader.GetString(1)), reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    /// <summary>
    /// Moves credits out of a school's wallet to another account (a booking hold, a provider's earnings),
    /// drawing on grants in spend order, in one call of the ledger_spend function. Refused with
    /// <see cref="InsufficientCreditsException"/> when the usable credit is short; nothing is written then.
    /// </summary>
    public Task<SpendResult> SpendAsync(SpendRequest request, CancellationToken ct = default) => SpendAsync(request, null, ct);

    /// <summary>Holds a booking's credits: the booking's hold account is found or created in the same statement as the spend.</summary>
    public Task<SpendResult> HoldAsync(Guid bookingId, SpendRequest request, CancellationToken ct = default) => SpendAsync(request, bookingId, ct);

    private async Task<SpendResult> SpendAsync(SpendRequest request, Guid? holdFor, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.Credits);
        var at = request.OccurredAt ?? clock.GetUtcNow();
        await using var cmd = await CommandAsync(holdFor is null
            ? "SELECT * FROM ledger_spend($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            : "SELECT * FROM ledger_spend($1, $2, $3, $4, ledger_account('BookingHold', NULL, NULL, NULL, $5), $6, $7, $8, $9)", ct);
        Add(cmd, Guid.CreateVersion7(), request.IdempotencyKey, request.SchoolId, request.Credits, holdFor ?? request.DestinationAccountId,
            request.Description, (object?)request.Reference ?? DBNull.Value, at,
            request.OccurredAt is { } o ? UkClock.DateOf(o) : clock.Today());
        cmd.Parameters[6].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        var draws = new List<GrantDraw>();
        Guid transactionId = default;
        var status = "";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            status = reader.GetString(0);
            // Short of usable credit: one row carrying the credits available, and nothing was written.
            if (status == Status.Insufficient) throw new InsufficientCreditsException(request.Credits, reader.GetInt32(3));
            transactionId = reader.GetGuid(1);
            if (!reader.IsDBNull(2)) draws.Add(new GrantDraw(reader.GetGuid(2), reader.GetInt32(3)));
        }
        return new SpendResult(transactionId, draws, Replayed(status));
    }

    /// <summary>The hold account of a booking (created on first use); it caches its balance like a wallet.</summary>
    public Task<Guid> HoldAccountAsync(Guid bookingId, CancellationToken ct = default) =>
        AccountAsync(LedgerAccountKind.BookingHold, ownerId: bookingId, ct: ct);

    /// <summary>
    /// Returns a booking's held credits to the school's wallet and their grants. Idempotent by key.
    /// Returns the credits this call moved (0 when the hold was empty or the key was used before).
    /// </summary>
    public async Task<long> ReleaseAsync(string idempotencyKey, Guid holdAccountId, Guid schoolId, string description, string? reference,
        CancellationToken ct = default)
    {
        await using var cmd = await CommandAsync("SELECT out_status, out_credits FROM ledger_release($1, $2, $3, $4, $5, $6, $7)", ct);
        Add(cmd, Guid.CreateVersion7(), idempotencyKey, holdAccountId, schoolId, description, (object?)reference ?? DBNull.Value, clock.GetUtcNow());
        cmd.Parameters[5].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        return await MovedAsync(cmd, ct);
    }

    /// <summary>Moves held credits to the provider's side (soonest-expiring first). Idempotent by key; returns the credits this call moved.</summary>
    public async Task<long> CaptureAsync(string idempotencyKey, Guid holdAccountId, Guid destinationAccountId, long credits, Guid schoolId,
        string description, string? reference, CancellationToken ct = default)
    {
        await using var cmd = await CommandAsync("SELECT out_status, out_credits FROM ledger_capture($1, $2, $3, $4, $5, $6, $7, $8, $9)", ct);
        Add(cmd, Guid.CreateVersion7(), idempotencyKey, holdAccountId, destinationAccountId, credits, schoolId, description,
            (object?)reference ?? DBNull.Value, clock.GetUtcNow());
        cmd.Parameters[7].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        return await MovedAsync(cmd, ct);
    }

    /// <summary>Credits a school earned for school-to-school support: a new Earned grant paid out of the provider's earnings. False on a replay.</summary>
    public async Task<bool> EarnAsync(string idempotencyKey, Guid fromAccountId, Guid schoolId, Guid laId, int credits, DateOnly expiresOn,
        string description, string? reference, CancellationToken ct = default)
    {
        await using var cmd = await CommandAsync("SELECT out_status FROM ledger_earn($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", ct);
        Add(cmd, Guid.CreateVersion7(), Guid.CreateVersion7(), idempotencyKey, fromAccountId, schoolId, laId, credits, expiresOn, description,
            (object?)reference ?? DBNull.Value, clock.GetUtcNow());
        cmd.Parameters[9].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        return (string)(await cmd.ExecuteScalarAsync(ct))! == Status.Done;
    }

    /// <summary>
    /// Moves an expired grant's unused credits out of the wallet into the issuing LA's expiry account
    /// (breakage), in one call of the ledger_expire function. Idempotent by grant: a rerun finds the first
    /// expiry. Returns the credits this call expired (0 when none were left, the grant has not expired yet,
    /// or it was expired before).
    /// </summary>
    public async Task<int> ExpireGrantAsync(Guid grantId, CancellationToken ct = default)
    {
        await using var cmd = await CommandAsync("SELECT out_status, out_credits FROM ledger_expire($1, $2, $3, $4, $5)", ct);
        Add(cmd, Guid.CreateVersion7(), $"expiry:{grantId:N}", grantId, clock.Today(), clock.GetUtcNow());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var status = reader.GetString(0);
        if (status == Status.NotFound) throw new NotFoundException("Grant", grantId);
        return status == Status.Done ? reader.GetInt32(1) : 0;
    }

    /// <summary>
    /// Locks the school's wallet row until the caller's transaction ends and returns its balance (0 when the
    /// school has no wallet yet): for a decision that must not race a spend.
    /// </summary>
    public async Task<long> LockWalletAsync(Guid schoolId, CancellationToken ct = default)
    {
        await using var cmd = await CommandAsync("SELECT ledger_lock_wallet($1)", ct);
        Add(cmd, schoolId);
        return await cmd.ExecuteScalarAsync(ct) is long balance ? balance : 0;
    }

    /// <summary>The status every ledger function answers with (its out_status column).</summary>
    public static class Status
    {
        public const string Done = "done";
        public const string Replayed = "replayed";
        public const string Nothing = "nothing";
        public const string Insufficient = "insufficient";
        public const string NotFound = "not_found";
    }

    private static bool Replayed(string status) => status == Status.Replayed;

    private static async Task<long> MovedAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return reader.GetString(0) == Status.Done ? reader.GetInt64(1) : 0;
    }

    private NpgsqlConnection Connection => (NpgsqlConnection)db.Database.GetDbConnection();
    private NpgsqlTransaction? Transaction => (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();

    private async Task<NpgsqlCommand> CommandAsync(string sql, CancellationToken ct)
    {
        if (Connection.State != ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        return new NpgsqlCommand(sql, Connection, Transaction);
    }

    private static void Add(NpgsqlCommand cmd, params object[] values)
    {
        foreach (var v in values) cmd.Parameters.Add(new NpgsqlParameter { Value = v });
    }

    private static void AddNullable(NpgsqlCommand cmd, string name, Guid? value) =>
        cmd.Parameters.Add(new NpgsqlParameter(name, NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)value ?? DBNull.Value });
}
