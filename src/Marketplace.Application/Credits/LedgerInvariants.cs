using Marketplace.Application.Data;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Credits;

/// <summary>
/// The ledger's invariants, checked in SQL against what is actually stored: every transaction sums to
/// zero; no wallet, fund or grant below zero; every cached balance (wallets, funds, holds) equals the sum of its entries; every
/// wallet entry names a grant and every grant's remaining credits equal its wallet entries. Returns the
/// violations found (none when the ledger is sound).
/// </summary>
public static class LedgerInvariants
{
    private static readonly (string Rule, string Sql)[] Checks =
    [
        ("transactions balance", "SELECT transaction_id::text FROM ledger_entries GROUP BY transaction_id HAVING sum(amount) <> 0"),
        ("no account below zero unless an issuer", "SELECT id::text FROM ledger_accounts WHERE balance < 0 AND NOT allow_negative"),
        ("cached balance equals entries", """
            SELECT a.id::text FROM ledger_accounts a
            LEFT JOIN (SELECT account_id, sum(amount) AS total FROM ledger_entries GROUP BY account_id) e ON e.account_id = a.id
            WHERE a.balance IS NOT NULL AND a.balance <> coalesce(e.total, 0)
            """),
        ("only wallets, funds and holds cache a balance", """
            SELECT id::text FROM ledger_accounts WHERE (balance IS NOT NULL) <> (kind IN ('SchoolWallet', 'Fund', 'BookingHold'))
            """),
        ("wallet entries are traced to grants", """
            SELECT e.id::text FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
            WHERE a.kind = 'SchoolWallet' AND e.grant_id IS NULL
            """),
        ("grant remaining equals its wallet entries", """
            SELECT g.id::text FROM credit_grants g
            LEFT JOIN (SELECT grant_id, account_id, sum(amount) AS total FROM ledger_entries GROUP BY grant_id, account_id) e
              ON e.grant_id = g.id AND e.account_id = g.wallet_account_id
            WHERE g.remaining <> coalesce(e.total, 0) OR g.remaining < 0 OR g.remaining > g.credits
            """),
        ("wallet balance equals its grants", """
            SELECT a.id::text FROM ledger_accounts a
            LEFT JOIN (SELECT wallet_account_id, sum(remaining) AS total FROM credit_grants GROUP BY wallet_account_id) g ON g.wallet_account_id = a.id
            WHERE a.kind = 'SchoolWallet' AND a.balance <> coalesce(g.total, 0)
            """),
    ];

    public static async Task<IReadOnlyList<string>> ViolationsAsync(MarketplaceDbContext db, CancellationToken ct = default)
    {
        var violations = new List<string>();
        foreach (var (rule, sql) in Checks)
        {
            var ids = await db.Database.SqlQueryRaw<string>(sql).ToListAsync(ct);
            violations.AddRange(ids.Select(id => $"{rule}: {id}"));
        }
        return violations;
    }
}
