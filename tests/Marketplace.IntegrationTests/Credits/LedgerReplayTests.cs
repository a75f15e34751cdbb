using Marketplace.Application.Common;
using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Domain.Credits;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Marketplace.IntegrationTests.Credits;

/// <summary>
/// Every ledger function answers a replay (the same idempotency key) the same way: status 'replayed' and
/// the first call's result, moving nothing again. Data such as the credits available comes back in a
/// typed column, not inside an error message.
/// </summary>
public class LedgerReplayTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private sealed record Answer(string Status, Guid? TransactionId, long Credits);

    /// <summary>Calls a ledger function as the app's role and reads (status, transaction, a number).</summary>
    private async Task<Answer> CallAsync(string sql, params object[] values)
    {
        await using var conn = new NpgsqlConnection(Fixture.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var v in values) cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var answer = new Answer(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.IsDBNull(2) ? 0 : Convert.ToInt64(reader.GetValue(2)));
        Assert.False(await reader.ReadAsync());
        return answer;
    }

    private async Task<(Guid School, Guid LaId, Guid Offer)> FreshSchoolAsync(MarketplaceDbContext db)
    {
        var school = await db.Schools.Where(s => !db.LedgerAccounts.Any(a => a.SchoolId == s.Id)).OrderBy(s => s.Urn).FirstAsync();
        var offer = await db.Offers.Where(o => o.PublishedVersionId != null).Select(o => o.Id).FirstAsync();
        return (school.Id, school.LocalAuthorityId, offer);
    }

    [Fact]
    public async Task Every_ledger_function_answers_a_replay_with_replayed_and_the_first_result()
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var ledger = scope.ServiceProvider.GetRequiredService<CreditLedger>();
        var (school, la, offer) = await FreshSchoolAsync(db);
        var today = Fixture.Clock.Today();
        var grantRequest = new CreditLedger.GrantRequest("replay-grant", LedgerTransactionKind.Purchase, school, la, CreditSource.Purchased, 10,
            today.AddMonths(12), 50_00, "Replay test");

        var grant = await ledger.GrantAsync(grantRequest);
        var grantAgain = await ledger.GrantAsync(grantRequest);
        Assert.False(grant.Replayed);
        Assert.Equal(grant with { Replayed = true }, grantAgain);

        var booking = Guid.NewGuid();
        var hold = new CreditLedger.SpendRequest("replay-hold", school, 4, offer, Guid.Empty, "Replay test");
        var held = await ledger.HoldAsync(booking, hold);
        var heldAgain = await ledger.HoldAsync(booking, hold);
        Assert.False(held.Replayed);
        Assert.True(heldAgain.Replayed);
        Assert.Equal(held.TransactionId, heldAgain.TransactionId);
        Assert.Equal(held.Draws, heldAgain.Draws);
        Assert.Equal(6, await Fixture.WalletBalanceAsync(school));

        var holdAccount = await ledger.HoldAccountAsync(booking);
        var revenue = await ledger.AccountAsync(LedgerAccountKind.LaRevenue, localAuthorityId: la);
        const string capture = "SELECT out_status, out_transaction_id, out_credits FROM ledger_capture(gen_random_uuid(), 'replay-capture', $1, $2, 1, $3, 'Replay test', NULL, now())";
        var captured = await CallAsync(capture, holdAccount, revenue, school);
        Assert.Equal(new Answer("done", captured.TransactionId, 1), captured);
        Assert.Equal(captured with { Status = "replayed" }, await CallAsync(capture, holdAccount, revenue, school));

        const string release = "SELECT out_status, out_transaction_id, out_credits FROM ledger_release(gen_random_uuid(), 'replay-release', $1, $2, 'Replay test', NULL, now())";
        var released = await CallAsync(release, holdAccount, school);
        Assert.Equal(new Answer("done", released.TransactionId, 3), released);
        Assert.Equal(released with { Status = "replayed" }, await CallAsync(release, holdAccount, school));
        Assert.Equal(9, await Fixture.WalletBalanceAsync(school));

        const string earn = "SELECT out_status, out_transaction_id, 0 FROM ledger_earn(gen_random_uuid(), gen_random_uuid(), 'replay-earn', $1, $2, $3, 2, $4, 'Replay test', NULL, now())";
        var earned = await CallAsync(earn, revenue, school, la, today.AddMonths(6));
        Assert.Equal("done", earned.Status);
        Assert.Equal(earned with { Status = "replayed" }, await CallAsync(earn, revenue, school, la, today.AddMonths(6)));
        Assert.Equal(11, await Fixture.WalletBalanceAsync(school));

        var lapsed = await ledger.GrantAsync(grantRequest with { IdempotencyKey = "replay-lapsed", Credits = 3, ExpiresOn = today.AddDays(-1) });
        var expire = $"SELECT out_status, out_transaction_id, out_credits FROM ledger_expire(gen_random_uuid(), 'expiry:{lapsed.GrantId:N}', $1, $2, now())";
        var expired = await CallAsync(expire, lapsed.GrantId, today);
        Assert.Equal(new Answer("done", expired.TransactionId, 3), expired);
        Assert.Equal(expired with { Status = "replayed" }, await CallAsync(expire, lapsed.GrantId, today));
        Assert.Equal(0, await ledger.ExpireGrantAsync(lapsed.GrantId)); // the C# API: nothing moved by this call
        Assert.Equal(11, await Fixture.WalletBalanceAsync(school));
    }

    [Fact]
    public async Task A_spend_beyond_the_usable_credit_reports_the_credits_available_and_writes_nothing()
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var ledger = scope.ServiceProvider.GetRequiredService<CreditLedger>();
        var (school, la, offer) = await FreshSchoolAsync(db);
        var destination = await ledger.AccountAsync(LedgerAccountKind.LaRevenue, localAuthorityId: la);
        var spend = new CreditLedger.SpendRequest("short-spend", school, 25, offer, destination, "Short test");

        var noWallet = await Assert.ThrowsAsync<InsufficientCreditsException>(() => ledger.SpendAsync(spend));
        Assert.Equal(0, noWallet.Available);

        var today = Fixture.Clock.Today();
        await ledger.GrantAsync(new CreditLedger.GrantRequest("short-grant", LedgerTransactionKind.Purchase, school, la, CreditSource.Purchased, 10,
            today.AddMonths(12), 50_00, "Short test"));
        await ledger.GrantAsync(new CreditLedger.GrantRequest("short-lapsed", LedgerTransactionKind.Purchase, school, la, CreditSource.Purchased, 7,
            today.AddDays(-1), 50_00, "Short test"));

        var shortOf = await Assert.ThrowsAsync<InsufficientCreditsException>(() => ledger.SpendAsync(spend));
        Assert.Equal((25, 10L), (shortOf.Requested, shortOf.Available)); // the lapsed 7 are not usable
        Assert.Equal(17, await Fixture.WalletBalanceAsync(school));
        Assert.False(await db.LedgerTransactions.AnyAsync(t => t.IdempotencyKey == "short-spend"));
        // The key was not used up by the refusal: the same request succeeds once the credit is there.
        Assert.Equal(10, (await ledger.SpendAsync(spend with { Credits = 10 })).Draws.Sum(d => d.Credits));
    }

    [Fact]
    public async Task Grant_expiry_moves_only_an_expired_grant_into_the_LAs_expiry_account_once()
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var ledger = scope.ServiceProvider.GetRequiredService<CreditLedger>();
        var (school, la, _) = await FreshSchoolAsync(db);
        var today = Fixture.Clock.Today();
        var live = await ledger.GrantAsync(new CreditLedger.GrantRequest("expiry-live", LedgerTransactionKind.Purchase, school, la, CreditSource.Purchased, 5,
            today, 50_00, "Expiry test"));
        var lapsed = await ledger.GrantAsync(new CreditLedger.GrantRequest("expiry-lapsed", LedgerTransactionKind.Purchase, school, la, CreditSource.Purchased, 4,
            today.AddDays(-1), 50_00, "Expiry test"));

        Assert.Equal(0, await ledger.ExpireGrantAsync(live.GrantId)); // still usable today: the database refuses to expire it
        Assert.Equal(4, await ledger.ExpireGrantAsync(lapsed.GrantId));
        Assert.Equal(0, await ledger.ExpireGrantAsync(lapsed.GrantId));
        await Assert.ThrowsAsync<NotFoundException>(() => ledger.ExpireGrantAsync(Guid.NewGuid()));

        Assert.Equal(5, await Fixture.WalletBalanceAsync(school));
        var expiryAccount = await db.LedgerAccounts.Where(a => a.Kind == LedgerAccountKind.Expiry && a.LocalAuthorityId == la).Select(a => a.Id).SingleAsync();
        Assert.Equal(4, await db.LedgerEntries.Where(e => e.AccountId == expiryAccount && e.GrantId == lapsed.GrantId).SumAsync(e => e.Amount));
        Assert.Equal(1, await db.LedgerTransactions.CountAsync(t => t.IdempotencyKey == $"expiry:{lapsed.GrantId:N}" && t.Kind == LedgerTransactionKind.Expiry));
    }
}
