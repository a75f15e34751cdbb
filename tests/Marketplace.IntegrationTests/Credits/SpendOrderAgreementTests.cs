using Marketplace.Application.Common;
using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Domain.Credits;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Credits;

/// <summary>The database's spend function draws grants exactly as the C# specification (SpendOrder) says.</summary>
[Trait("Category", "DateSensitive")]
public class SpendOrderAgreementTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    [InlineData(17)]
    [InlineData(20)]
    [InlineData(21)]
    public async Task The_ledger_spends_in_the_specified_order(int credits)
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var ledger = scope.ServiceProvider.GetRequiredService<CreditLedger>();
        var school = await db.Schools.Where(s => !db.LedgerAccounts.Any(a => a.SchoolId == s.Id)).OrderBy(s => s.Urn).FirstAsync();
        var offer = await db.Offers.Where(o => o.PublishedVersionId != null).Select(o => o.Id).FirstAsync();
        var today = Fixture.Clock.Today();
        var start = Fixture.Clock.GetUtcNow().AddDays(-40);
        (CreditSource Source, int Credits, int ExpiresIn)[] parcels =
        [
            (CreditSource.Purchased, 2, 300), (CreditSource.Allowance, 5, 30), (CreditSource.Earned, 4, 200),
            (CreditSource.Allowance, 3, 10), (CreditSource.Purchased, 6, 250), (CreditSource.Allowance, 2, -1),
        ];
        foreach (var (p, i) in parcels.Select((p, i) => (p, i)))
            await ledger.GrantAsync(new CreditLedger.GrantRequest($"order:{i}", LedgerTransactionKind.Purchase, school.Id, school.LocalAuthorityId,
                p.Source, p.Credits, today.AddDays(p.ExpiresIn), 50_00, "Order test", OccurredAt: start.AddDays(i)));
        var grants = await db.CreditGrants.AsNoTracking().Where(g => g.SchoolId == school.Id)
            .Select(g => new GrantBalance(g.Id, g.Source, g.Remaining, g.ExpiresOn, g.GrantedAt, null)).ToListAsync();
        var expected = SpendOrder.Allocate(grants, credits, offer, today);
        var destination = await ledger.AccountAsync(LedgerAccountKind.LaRevenue, localAuthorityId: school.LocalAuthorityId);

        if (expected is null)
        {
            await Assert.ThrowsAsync<InsufficientCreditsException>(() =>
                ledger.SpendAsync(new CreditLedger.SpendRequest("order-spend", school.Id, credits, offer, destination, "Order test")));
            Assert.Equal(22, await Fixture.WalletBalanceAsync(school.Id)); // nothing moved (2 of the 22 have expired: usable 20)
        }
        else
        {
            var spent = await ledger.SpendAsync(new CreditLedger.SpendRequest("order-spend", school.Id, credits, offer, destination, "Order test"));
            Assert.Equal(expected, spent.Draws);
            Assert.Equal(22 - credits, await Fixture.WalletBalanceAsync(school.Id));
        }
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    /// <summary>Until funds and their ring-fences exist, the real ledger never spends a funded grant.</summary>
    [Fact]
    public async Task Funded_credits_are_never_drawn_until_funds_exist()
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var ledger = scope.ServiceProvider.GetRequiredService<CreditLedger>();
        var school = await db.Schools.Where(s => !db.LedgerAccounts.Any(a => a.SchoolId == s.Id)).OrderBy(s => s.Urn).FirstAsync();
        var offer = await db.Offers.Where(o => o.PublishedVersionId != null).Select(o => o.Id).FirstAsync();
        var today = Fixture.Clock.Today();
        var funded = await ledger.GrantAsync(new CreditLedger.GrantRequest("funded", LedgerTransactionKind.Purchase, school.Id, school.LocalAuthorityId,
            CreditSource.Funded, 8, today.AddDays(10), 50_00, "Funded test"));
        var purchased = await ledger.GrantAsync(new CreditLedger.GrantRequest("bought", LedgerTransactionKind.Purchase, school.Id, school.LocalAuthorityId,
            CreditSource.Purchased, 3, today.AddDays(300), 50_00, "Funded test"));
        var destination = await ledger.AccountAsync(LedgerAccountKind.LaRevenue, localAuthorityId: school.LocalAuthorityId);

        var refused = await Assert.ThrowsAsync<InsufficientCreditsException>(() =>
            ledger.SpendAsync(new CreditLedger.SpendRequest("funded-spend", school.Id, 4, offer, destination, "Funded test")));
        var spent = await ledger.SpendAsync(new CreditLedger.SpendRequest("funded-spend", school.Id, 3, offer, destination, "Funded test"));

        Assert.Equal(3, refused.Available);
        Assert.Equal([new GrantDraw(purchased.GrantId, 3)], spent.Draws);
        Assert.Equal(8, await db.CreditGrants.Where(g => g.Id == funded.GrantId).Select(g => g.Remaining).SingleAsync());
    }
}
