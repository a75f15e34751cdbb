using Marketplace.Application.Common;
using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Domain.Credits;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Marketplace.IntegrationTests.Credits;

/// <summary>The database itself refuses what the ledger must never hold, whatever code writes to it.</summary>
[Trait("Category", "DateSensitive")]
public class LedgerGuardTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private async Task<Guid> GrantAsync(int credits)
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var school = await db.Schools.OrderBy(s => s.Urn).FirstAsync();
        var result = await scope.ServiceProvider.GetRequiredService<CreditLedger>().GrantAsync(new CreditLedger.GrantRequest(
            "guard-grant", LedgerTransactionKind.Purchase, school.Id, school.LocalAuthorityId, CreditSource.Purchased, credits,
            Fixture.Clock.Today().AddMonths(12), 50_00, "Guard test"));
        return result.TransactionId;
    }

    // As the schema's owner, who may write the tables (the app's role is refused earlier, by privileges:
    // LedgerPrivilegeTests): what stops these writes is the database's own triggers and constraints.
    private async Task<PostgresException> SqlFailsAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(Fixture.OwnerConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
    }

    private static void AssertRaisedBy(PostgresException error, string sqlState, string triggerFunction, string message)
    {
        Assert.Equal(sqlState, error.SqlState);
        Assert.Equal(message, error.MessageText);
        Assert.Contains($"PL/pgSQL function {triggerFunction}()", error.Where);
    }

    [Fact]
    public async Task Ledger_entries_cannot_be_updated_or_deleted()
    {
        await GrantAsync(5);
        const string appendOnly = "ledger entries are append-only: post a reversal instead";

        AssertRaisedBy(await SqlFailsAsync("UPDATE ledger_entries SET amount = amount * 2"),
            PostgresErrorCodes.InsufficientPrivilege, "ledger_entries_append_only", appendOnly);
        AssertRaisedBy(await SqlFailsAsync("DELETE FROM ledger_entries"),
            PostgresErrorCodes.InsufficientPrivilege, "ledger_entries_append_only", appendOnly);
        AssertRaisedBy(await SqlFailsAsync("UPDATE ledger_transactions SET description = 'rewritten'"),
            PostgresErrorCodes.InsufficientPrivilege, "ledger_entries_append_only", appendOnly);
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task A_transaction_whose_entries_do_not_sum_to_zero_cannot_commit()
    {
        var tx = await GrantAsync(5);

        var error = await SqlFailsAsync($"""
            INSERT INTO ledger_transactions (id, idempotency_key, kind, description, occurred_at) VALUES ('{Guid.NewGuid()}', 'lopsided', 'Reversal', 'x', now());
            INSERT INTO ledger_entries (transaction_id, account_id, amount) SELECT id, account_id, 3 FROM (SELECT '{tx}'::uuid AS id) t,
                LATERAL (SELECT account_id FROM ledger_entries WHERE transaction_id = '{tx}' LIMIT 1) e;
            """);

        AssertRaisedBy(error, PostgresErrorCodes.CheckViolation, "ledger_entries_balanced", $"ledger transaction {tx} does not balance");
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task A_wallet_balance_below_zero_is_refused_by_a_constraint()
    {
        await GrantAsync(5);

        var error = await SqlFailsAsync("UPDATE ledger_accounts SET balance = balance - 6 WHERE kind = 'SchoolWallet'");

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        Assert.Equal("ck_ledger_accounts_balance", error.ConstraintName);
        Assert.Equal("ledger_accounts", error.TableName);
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task A_grant_below_zero_is_refused_by_a_constraint()
    {
        await GrantAsync(5);

        var error = await SqlFailsAsync("UPDATE credit_grants SET remaining = -1");

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        Assert.Equal("ck_credit_grants_remaining", error.ConstraintName);
        await Ledger.AssertInvariantsAsync(Fixture);
    }
}
