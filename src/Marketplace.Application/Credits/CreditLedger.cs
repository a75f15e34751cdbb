using System.Data;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Credits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Marketplace.Application.Credits;

/// <summary>
/// Writes to the double-entry credits ledger. Every method runs in one database transaction and is
/// idempotent by its key (a unique index on ledger_transactions.idempotency_key): a retry, or a second
/// request racing the first, gets the first result and moves nothing. Spends lock the wallet row, draw
/// on grants in <see cref="SpendOrder"/>, and rely on conditional updates and CHECK constraints so that
/// no wallet or grant can go below zero whatever the code above does. A database trigger refuses any
/// transaction whose entries do not sum to zero, and any update or delete of an entry.
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
        const string sql = """
            INSERT INTO ledger_accounts (id, kind, local_authority_id, school_id, provider_id, owner_id, balance, allow_negative)
            VALUES (@id, @kind, @la, @school, @provider, @owner, 0, @allowNegative)
            ON CONFLICT DO NOTHING;
            SELECT id FROM ledger_accounts
            WHERE kind = @kind AND local_authority_id IS NOT DISTINCT FROM @la AND school_id IS NOT DISTINCT FROM @school
              AND provider_id IS NOT DISTINCT FROM @provider AND owner_id IS NOT DISTINCT FROM @owner;
            """;
        await using var cmd = await CommandAsync(sql, ct);
        cmd.Parameters.AddWithValue("id", Guid.CreateVersion7());
        cmd.Parameters.AddWithValue("kind", kind.ToString());
        AddNullable(cmd, "la", localAuthorityId);
        AddNullable(cmd, "school", schoolId);
        AddNullable(cmd, "provider", providerId);
        AddNullable(cmd, "owner", ownerId);
        cmd.Parameters.AddWithValue("allowNegative", kind == LedgerAccountKind.LaDeferredIncome);
        return (Guid)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Puts credits into a school's wallet as a new grant, issued from the LA's deferred income.</summary>
    public async Task<GrantResult> GrantAsync(GrantRequest request, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.Credits);
        return await InTransactionAsync(async () =>
        {
            var transactionId = Guid.CreateVersion7();
            if (!await TryStartTransactionAsync(transactionId, request.IdempotencyKey, request.Kind, request.SchoolId,
                    request.Description, request.Reference, request.RequestHash, ct, request.OccurredAt))
            {
                return await ReplayGrantAsync(request.IdempotencyKey, ct);
            }

            var wallet = await AccountAsync(LedgerAccountKind.SchoolWallet, schoolId: request.SchoolId, ct: ct);
            var issuer = await AccountAsync(LedgerAccountKind.LaDeferredIncome, localAuthorityId: request.IssuingLaId, ct: ct);
            var grantId = Guid.CreateVersion7();

            const string sql = """
                INSERT INTO credit_grants (id, wallet_account_id, school_id, issued_by_la_id, source, credits, remaining,
                    expires_on, cost_basis_pence_per_credit, granted_at, transaction_id, fund_id)
                VALUES (@grant, @wallet, @school, @la, @source, @credits, @credits, @expires, @cost, @now, @tx, NULL);
                INSERT INTO ledger_entries (transaction_id, account_id, grant_id, amount)
                VALUES (@tx, @issuer, @grant, -@credits), (@tx, @wallet, @grant, @credits);
                UPDATE ledger_accounts SET balance = balance - @credits WHERE id = @issuer;
                UPDATE ledger_accounts SET balance = balance + @credits WHERE id = @wallet;
                """;
            await using var cmd = await CommandAsync(sql, ct);
            cmd.Parameters.AddWithValue("grant", grantId);
            cmd.Parameters.AddWithValue("wallet", wallet);
            cmd.Parameters.AddWithValue("issuer", issuer);
            cmd.Parameters.AddWithValue("school", request.SchoolId);
            cmd.Parameters.AddWithValue("la", request.IssuingLaId);
            cmd.Parameters.AddWithValue("source", request.Source.ToString());
            cmd.Parameters.AddWithValue("credits", (long)request.Credits);
            cmd.Parameters.AddWithValue("expires", request.ExpiresOn);
            cmd.Parameters.AddWithValue("cost", request.CostBasisPencePerCredit);
            cmd.Parameters.AddWithValue("now", request.OccurredAt ?? clock.GetUtcNow());
            cmd.Parameters.AddWithValue("tx", transactionId);
            await cmd.ExecuteNonQueryAsync(ct);
            return new GrantResult(transactionId, grantId, false, request.RequestHash);
        }, ct);
    }

    /// <summary>
    /// Moves credits out of a school's wallet to another account (a booking hold, a provider's earnings),
    /// drawing on grants in spend order. Refused with <see cref="InsufficientCreditsException"/> when the
    /// usable credit is short; nothing is written then.
    /// </summary>
    public async Task<SpendResult> SpendAsync(SpendRequest request, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.Credits);
        return await InTransactionAsync(async () =>
        {
            // Lock the wallet: spends on one wallet queue here, so the allocation below reads settled grants.
            Guid wallet;
            long balance;
            await using (var lockCmd = await CommandAsync(
                "SELECT id, balance FROM ledger_accounts WHERE kind = 'SchoolWallet' AND school_id = @school FOR UPDATE", ct))
            {
                lockCmd.Parameters.AddWithValue("school", request.SchoolId);
                await using var reader = await lockCmd.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct)) throw new InsufficientCreditsException(request.Credits, 0);
                wallet = reader.GetGuid(0);
                balance = reader.GetInt64(1);
            }

            var transactionId = Guid.CreateVersion7();
            if (!await TryStartTransactionAsync(transactionId, request.IdempotencyKey, LedgerTransactionKind.Spend,
                    request.SchoolId, request.Description, request.Reference, null, ct, request.OccurredAt))
            {
                return await ReplaySpendAsync(request.IdempotencyKey, wallet, ct);
            }

            var today = DateOnly.FromDateTime((request.OccurredAt ?? clock.GetUtcNow()).UtcDateTime);
            var grants = new List<GrantBalance>();
            await using (var grantsCmd = await CommandAsync("""
                SELECT id, source, remaining, expires_on, granted_at FROM credit_grants
                WHERE wallet_account_id = @wallet AND remaining > 0 AND expires_on >= @today
                """, ct))
            {
                grantsCmd.Parameters.AddWithValue("wallet", wallet);
                grantsCmd.Parameters.AddWithValue("today", today);
                await using var reader = await grantsCmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    grants.Add(new GrantBalance(reader.GetGuid(0), Enum.Parse<CreditSource>(reader.GetString(1)), reader.GetInt32(2),
                        reader.GetFieldValue<DateOnly>(3), reader.GetFieldValue<DateTimeOffset>(4)));
                }
            }

            var draws = SpendOrder.Allocate(grants, request.Credits, request.OfferId, today)
                ?? throw new InsufficientCreditsException(request.Credits, grants.Sum(g => (long)g.Remaining));

            var batch = new NpgsqlBatch(Connection, Transaction);
            foreach (var draw in draws)
            {
                batch.BatchCommands.Add(Command("UPDATE credit_grants SET remaining = remaining - $1 WHERE id = $2 AND remaining >= $1",
                    draw.Credits, draw.GrantId));
                batch.BatchCommands.Add(Command("INSERT INTO ledger_entries (transaction_id, account_id, grant_id, amount) VALUES ($1, $2, $3, $4), ($1, $5, $3, $6)",
                    transactionId, wallet, draw.GrantId, -(long)draw.Credits, request.DestinationAccountId, (long)draw.Credits));
            }
            batch.BatchCommands.Add(Command("UPDATE ledger_accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1", (long)request.Credits, wallet));
            batch.BatchCommands.Add(Command("UPDATE ledger_accounts SET balance = balance + $1 WHERE id = $2", (long)request.Credits, request.DestinationAccountId));
            await using (batch)
            {
                await batch.ExecuteNonQueryAsync(ct);
                // Every conditional update must have hit its row; otherwise the lock was bypassed somehow
                // and we refuse rather than write a partial spend.
                for (var i = 0; i < draws.Count; i++)
                    if (batch.BatchCommands[i * 2].RecordsAffected != 1)
                        throw new InsufficientCreditsException(request.Credits, balance);
                if (batch.BatchCommands[draws.Count * 2].RecordsAffected != 1)
                    throw new InsufficientCreditsException(request.Credits, balance);
            }

            return new SpendResult(transactionId, draws, false);
        }, ct);
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
            batch.BatchCommands.Add(Command("UPDATE ledger_accounts SET balance = balance + $1 WHERE id = $2", (long)remaining, expiry));
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

    private async Task<GrantResult> ReplayGrantAsync(string key, CancellationToken ct)
    {
        var row = await db.LedgerTransactions.AsNoTracking().Where(t => t.IdempotencyKey == key)
            .Select(t => new { t.Id, Hash = EF.Property<string?>(t, "RequestHash") })
            .SingleAsync(ct);
        var grantId = await db.CreditGrants.AsNoTracking().Where(g => g.TransactionId == row.Id).Select(g => g.Id).SingleAsync(ct);
        return new GrantResult(row.Id, grantId, true, row.Hash);
    }

    private async Task<SpendResult> ReplaySpendAsync(string key, Guid wallet, CancellationToken ct)
    {
        var id = await db.LedgerTransactions.AsNoTracking().Where(t => t.IdempotencyKey == key).Select(t => t.Id).SingleAsync(ct);
        var draws = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.TransactionId == id && e.AccountId == wallet)
            .OrderBy(e => e.Id)
            .Select(e => new GrantDraw(e.GrantId!.Value, (int)-e.Amount))
            .ToListAsync(ct);
        return new SpendResult(id, draws, true);
    }
}
