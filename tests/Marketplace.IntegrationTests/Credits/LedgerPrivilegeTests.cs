using Marketplace.IntegrationTests.Infrastructure;
using Npgsql;

namespace Marketplace.IntegrationTests.Credits;

/// <summary>
/// Least privilege (ADR 0015): the app's database role reads the ledger but changes it only through the
/// ledger functions, which run as their owner. A direct write is refused by PostgreSQL itself.
/// </summary>
public class LedgerPrivilegeTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private static readonly string[] LedgerTables = ["ledger_accounts", "ledger_transactions", "ledger_entries", "credit_grants"];

    private async Task<T> AsAppAsync<T>(Func<NpgsqlConnection, Task<T>> work)
    {
        await using var conn = new NpgsqlConnection(Fixture.ConnectionString);
        await conn.OpenAsync();
        return await work(conn);
    }

    private Task<PostgresException> RefusedAsync(string sql) => AsAppAsync(async conn =>
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
    });

    [Fact]
    public async Task The_app_connects_as_its_restricted_role()
    {
        var (user, superuser) = await AsAppAsync(async conn =>
        {
            await using var cmd = new NpgsqlCommand("SELECT current_user::text, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)", conn);
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.GetString(0), reader.GetBoolean(1));
        });

        Assert.Equal("marketplace_app", user);
        Assert.False(superuser);
    }

    [Fact]
    public async Task A_direct_update_of_a_wallet_balance_by_the_app_is_refused()
    {
        var error = await RefusedAsync("UPDATE ledger_accounts SET balance = balance + 100 WHERE kind = 'SchoolWallet'");

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Equal("permission denied for table ledger_accounts", error.MessageText);
    }

    [Fact]
    public async Task A_direct_insert_of_a_ledger_entry_by_the_app_is_refused()
    {
        var error = await RefusedAsync("""
            INSERT INTO ledger_entries (transaction_id, account_id, amount)
            SELECT transaction_id, account_id, 1 FROM ledger_entries LIMIT 1
            """);

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Equal("permission denied for table ledger_entries", error.MessageText);
    }

    [Theory]
    [InlineData("UPDATE credit_grants SET remaining = credits", "credit_grants")]
    [InlineData("INSERT INTO ledger_transactions (id, idempotency_key, kind, description, occurred_at) VALUES (gen_random_uuid(), 'direct', 'Reversal', 'x', now())", "ledger_transactions")]
    [InlineData("DELETE FROM ledger_transactions", "ledger_transactions")]
    [InlineData("TRUNCATE ledger_entries CASCADE", "ledger_entries")]
    [InlineData("SELECT 1 FROM ledger_accounts FOR UPDATE", "ledger_accounts")]
    public async Task Any_other_direct_write_to_the_ledger_by_the_app_is_refused(string sql, string table)
    {
        var error = await RefusedAsync(sql);

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Equal($"permission denied for table {table}", error.MessageText);
    }

    [Fact]
    public async Task The_app_may_only_read_the_ledger_tables_and_every_ledger_function_runs_as_its_owner_on_a_pinned_path()
    {
        var writable = await AsAppAsync(async conn =>
        {
            var found = new List<string>();
            foreach (var table in LedgerTables)
            foreach (var privilege in new[] { "INSERT", "UPDATE", "DELETE", "TRUNCATE" })
            {
                await using var cmd = new NpgsqlCommand($"SELECT has_table_privilege('{table}', '{privilege}')", conn);
                if ((bool)(await cmd.ExecuteScalarAsync())!) found.Add($"{privilege} {table}");
            }
            await using var read = new NpgsqlCommand("SELECT " + string.Join(" AND ", LedgerTables.Select(t => $"has_table_privilege('{t}', 'SELECT')")), conn);
            if (!(bool)(await read.ExecuteScalarAsync())!) found.Add("cannot read the ledger");
            return found;
        });
        var functions = await AsAppAsync(async conn =>
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT p.proname, p.prosecdef, coalesce(array_to_string(p.proconfig, ','), ''), pg_get_userbyid(p.proowner)::text,
                       has_function_privilege(p.oid, 'EXECUTE')
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public' AND p.proname LIKE 'ledger\_%' AND p.prorettype <> 'trigger'::regtype ORDER BY p.proname
                """, conn);
            await using var reader = await cmd.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
                rows.Add($"{reader.GetString(0)} definer={reader.GetBoolean(1)} {reader.GetString(2)} owner={reader.GetString(3)} execute={reader.GetBoolean(4)}");
            return rows;
        });

        Assert.Empty(writable);
        Assert.Equal(
            new[] { "ledger_account", "ledger_capture", "ledger_earn", "ledger_expire", "ledger_grant", "ledger_lock_wallet", "ledger_release", "ledger_spend" }
                .Select(f => $"{f} definer=True search_path=public, pg_temp owner=marketplace_owner execute=True"),
            functions);
    }
}
