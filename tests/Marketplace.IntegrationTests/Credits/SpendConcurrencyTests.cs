using Marketplace.Application.Common;
using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Features.Credits;
using Marketplace.Domain.Credits;
using Marketplace.IntegrationTests.Infrastructure;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Credits;

[Trait("Category", "DateSensitive")]
public class SpendConcurrencyTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Two_hundred_parallel_one_credit_spends_at_a_wallet_of_100_succeed_exactly_100_times()
    {
        var (schoolId, offerId, destination) = await ArrangeWalletAsync(credits: 100);

        var attempts = Enumerable.Range(0, 200).Select(async i =>
        {
            await using var scope = Fixture.App.Services.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            try
            {
                await mediator.Send(new SpendCredits.Command(schoolId, 1, offerId, destination, $"test-spend-{i}", "Parallel spend"));
                return true;
            }
            catch (InsufficientCreditsException)
            {
                return false;
            }
        });
        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(100, outcomes.Count(ok => ok));
        Assert.Equal(100, outcomes.Count(ok => !ok));
        await using var check = Fixture.App.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        Assert.Equal(0, await db.LedgerAccounts.Where(a => a.SchoolId == schoolId).Select(a => a.Balance).SingleAsync());
        Assert.Equal(100, await db.LedgerEntries.Where(e => e.AccountId == destination).SumAsync(e => e.Amount)); // earnings are summed, not cached
        Assert.Equal(100, await db.LedgerTransactions.CountAsync(t => t.Kind == LedgerTransactionKind.Spend && t.SchoolId == schoolId));
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task A_spend_replayed_with_its_key_moves_credits_once()
    {
        var (schoolId, offerId, destination) = await ArrangeWalletAsync(credits: 10);
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

        var first = await mediator.Send(new SpendCredits.Command(schoolId, 4, offerId, destination, "hold:booking-1", "Hold"));
        var again = await mediator.Send(new SpendCredits.Command(schoolId, 4, offerId, destination, "hold:booking-1", "Hold"));

        Assert.False(first.Replayed);
        Assert.True(again.Replayed);
        Assert.Equal(first.TransactionId, again.TransactionId);
        Assert.Equal(first.Draws, again.Draws);
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        Assert.Equal(6, await db.LedgerAccounts.Where(a => a.SchoolId == schoolId).Select(a => a.Balance).SingleAsync());
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task A_refused_spend_writes_nothing()
    {
        var (schoolId, offerId, destination) = await ArrangeWalletAsync(credits: 3);
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

        var refused = await Assert.ThrowsAsync<InsufficientCreditsException>(() =>
            mediator.Send(new SpendCredits.Command(schoolId, 4, offerId, destination, "too-much", "Too much")).AsTask());

        Assert.Equal(3, refused.Available);
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        Assert.False(await db.LedgerTransactions.AnyAsync(t => t.IdempotencyKey == "too-much"));
        Assert.Equal(3, await db.LedgerAccounts.Where(a => a.SchoolId == schoolId).Select(a => a.Balance).SingleAsync());
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    private async Task<(Guid SchoolId, Guid OfferId, Guid Destination)> ArrangeWalletAsync(int credits)
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var ledger = scope.ServiceProvider.GetRequiredService<CreditLedger>();
        // A school with no credits yet (the demo world leaves some unsubscribed), so the wallet holds exactly what we grant.
        var school = await db.Schools.Where(s => !db.LedgerAccounts.Any(a => a.SchoolId == s.Id)).OrderBy(s => s.Urn).FirstAsync();
        var offer = await db.Offers.Where(o => o.PublishedVersionId != null).OrderBy(o => o.Id).FirstAsync();
        await ledger.GrantAsync(new CreditLedger.GrantRequest($"arrange:{school.Id}", LedgerTransactionKind.Purchase, school.Id,
            school.LocalAuthorityId, CreditSource.Purchased, credits, Fixture.Clock.Today().AddMonths(12), 50_00, "Arranged credits"));
        var destination = await ledger.AccountAsync(LedgerAccountKind.ProviderEarnings, providerId: offer.ProviderId);
        return (school.Id, offer.Id, destination);
    }
}
