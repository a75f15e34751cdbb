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
/// gets the first result and moves nothing. Grants and spends are single calls of PostgreSQL functions
/// (ledger_grant, ledger_spend; see the LedgerFunctions migration and ADR 0008): a spend locks the
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
        return new GrantResult(reader.GetGuid(0), reader.GetGuid(1), reader.GetBoolean(2), reader.IsDBNull(3) ? null : reader.GetString(3));
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
                SELECT g.out_transaction_id, $4, $5, $6, $8, $13, $10, $7, $14, $15, $12 FROM g WHERE NOT g.out_replayed
                RETURNING id)
            SELECT g.out_transaction_id, g.out_replayed, g.out_hash FROM g
            """, ct);
        Add(cmd, purchase.Id, Guid.CreateVersion7(), idempotencyKey, purchase.SchoolId, purchase.SellerLaId, purchase.Credits, purchase.ExpiresOn,
            purchase.UnitPricePence, description, (object?)purchase.PurchaseOrderNumber ?? DBNull.Value, requestHash, purchase.CreatedAt,
            purchase.TotalPence, purchase.Status.ToString(), (object?)purchase.CreatedByUserId ?? DBNull.Value);
        cmd.Parameters[9].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        cmd.Parameters[14].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new PurchaseOutcome(reader.GetGuid(0), reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetString(2));
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
        try
        {
            var draws = new List<GrantDraw>();
            Guid transactionId = default;
            var replayed = false;
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                transactionId = reader.GetGuid(0);
                draws.Add(new GrantDraw(reader.GetGuid(1), reader.GetInt32(2)));
                replayed = reader.GetBoolean(3);
            }
            return new SpendResult(transactionId, draws, replayed);
        }
        catch (PostgresException e) when (e.SqlState == "MK001")
        {
            throw new InsufficientCreditsException(request.Credits, long.TryParse(e.MessageText, out var available) ? available : 0);
        }
    }

    /// <summary>The hold account of a booking (created on first use); it caches its balance like a wallet.</summary>
    public Task<Guid> HoldAccountAsync(Guid bookingId, CancellationToken ct = default) =>
        AccountAsync(LedgerAccountKind.BookingHold, ownerId: bookingId, ct: ct);

    /// <summary>Returns a booking's held credits to the school's wallet and their grants. Idempotent by key.</summary>
    public async Task<long> ReleaseAsync(string idempotencyKey, Guid holdAccountId, Guid schoolId, string description, string? reference,
        CancellationToken ct = default)
    {
        await using var cmd = await CommandAsync("SELECT ledger_release($1, $2, $3, $4, $5, $6, $7)", ct);
        Add(cmd, Guid.CreateVersion7(), idempotencyKey, holdAccountId, schoolId, description, (object?)reference ?? DBNull.Value, clock.GetUtcNow());
        cmd.Parameters[5].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Moves held credits to the provider's side (soonest-expiring first). Idempotent by key.</summary>
    public async Task<long> CaptureAsync(string idempotencyKey, Guid holdAccountId, Guid destinationAccountId, long credits, Guid schoolId,
        string description, string? reference, CancellationToken ct = default)
    {
        await using var cmd = await CommandAsync("SELECT ledger_capture($1, $2, $3, $4, $5, $6, $7, $8, $9)", ct);
        Add(cmd, Guid.CreateVersion7(), idempotencyKey, holdAccountId, destinationAccountId, credits, schoolId, description,
            (object?)reference ?? DBNull.Value, clock.GetUtcNow());
        cmd.Parameters[7].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Credits a school earned for school-to-school support: a new Earned grant paid out of the provider's earnings.</summary>
    public async Task<bool> EarnAsync(string idempotencyKey, Guid fromAccountId, Guid schoolId, Guid laId, int credits, DateOnly expiresOn,
        string description, string? reference, CancellationToken ct = default)
    {
        await using var cmd = await CommandAsync("SELECT ledger_earn($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", ct);
        Add(cmd, Guid.CreateVersion7(), Guid.CreateVersion7(), idempotencyKey, fromAccountId, schoolId, laId, credits, expiresOn, description,
            (object?)reference ?? DBNull.Value, clock.GetUtcNow());
        cmd.Parameters[9].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Moves a grant's unused credits out of the wallet into the issuing LA's expiry account (breakage).
    /// Idempotent by grant: a rerun finds the first expiry. Returns the credits expired (0 when none left).
    /// </summary>
    public async Task<int> ExpireGrantAsync(Guid grantId, CancellationToken ct = default)
    {
        return await InTransactionAsync(async () =>
        {
            Guid wallet, school, la;
            await using (var lockCmd = await CommandAsync("""
                SELECT g.wallet_account_id, g.school_id, g.issued_by_la_id FROM credit_grants g
                JOIN ledger_accounts a ON a.id = g.wallet_account_id WHERE g.id = @grant FOR UPDATE OF a
                """, ct))
            {
                lockCmd.Parameters.AddWithValue("grant", grantId);
                await using var reader = await lockCmd.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct)) throw new NotFoundException("Grant", grantId);
                (wallet, school, la) = (reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2));
            }

            int remaining;
            await using (var read = await CommandAsync("SELECT remaining FROM credit_grants WHERE id = @grant", ct))
            {
                read.Parameters.AddWithValue("grant", grantId);
                remaining = (int)(await read.ExecuteScalarAsync(ct))!;
            }
            if (remaining == 0) return 0;

            var transactionId = Guid.CreateVersion7();
            if (!await TryStartTransactionAsync(transactionId, $"expiry:{grantId:N}", LedgerTransactionKind.Expiry, school,
                    $"{remaining} unused credits expired", null, null, ct))
                return 0;

            var expiry = await AccountAsync(LedgerAccountKind.Expiry, localAuthorityId: la, ct: ct);
            var batch = new NpgsqlBatch(Connection, Transaction);
            batch.BatchCommands.Add(Command("UPDATE credit_grants SET remaining = 0 WHERE id = $1 AND remaining = $2", grantId, remaining));
            batch.BatchCommands.Add(Command("INSERT INTO ledger_entries (transaction_id, account_id, grant_id, amount) VALUES ($1, $2, $3, $4), ($1, $5, $3, $6)",
                transactionId, wallet, grantId, -(long)remaining, expiry, (long)remaining));
            batch.BatchCommands.Add(Command("UPDATE ledger_accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1", (long)remaining, wallet));
            batch.BatchCommands.Add(Command("UPDATE ledger_accounts SET balance = balance + $1 WHERE id = $2 AND balance IS NOT NULL", (long)remaining, expiry));
            await using (batch)
            {
                await batch.ExecuteNonQueryAsync(ct);
                if (batch.BatchCommands[0].RecordsAffected != 1 || batch.BatchCommands[2].RecordsAffected != 1)
                    throw new InvalidOperationException($"Grant {grantId} changed while it was being expired.");
            }
            return remaining;
        }, ct);
    }

    private NpgsqlConnection Connection => (NpgsqlConnection)db.Database.GetDbConnection();
    private NpgsqlTransaction? Transaction => (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var c = new NpgsqlBatchCommand(sql);
        foreach (var v in values) c.Parameters.Add(new NpgsqlParameter { Value = v });
        return c;
    }

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

    private async Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null) return await work();
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var result = await work();
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>Inserts the transaction header; false when the key was used before (a replay).</summary>
    private async Task<bool> TryStartTransactionAsync(Guid id, string key, LedgerTransactionKind kind, Guid? schoolId,
        string description, string? reference, string? requestHash, CancellationToken ct, DateTimeOffset? occurredAt = null)
    {
        const string sql = """
            INSERT INTO ledger_transactions (id, idempotency_key, kind, school_id, description, reference, occurred_at, request_hash)
            VALUES (@id, @key, @kind, @school, @description, @reference, @now, @hash)
            ON CONFLICT (idempotency_key) DO NOTHING
            """;
        await using var cmd = await CommandAsync(sql, ct);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("key", key);
        cmd.Parameters.AddWithValue("kind", kind.ToString());
        AddNullable(cmd, "school", schoolId);
        cmd.Parameters.AddWithValue("description", description);
        cmd.Parameters.Add(new NpgsqlParameter("reference", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)reference ?? DBNull.Value });
        cmd.Parameters.AddWithValue("now", occurredAt ?? clock.GetUtcNow());
        cmd.Parameters.Add(new NpgsqlParameter("hash", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)requestHash ?? DBNull.Value });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }
}
