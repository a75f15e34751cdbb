using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Infrastructure;

public static class Ledger
{
    /// <summary>Asserts the ledger invariants on what the database holds now.</summary>
    public static async Task AssertInvariantsAsync(MarketplaceFixture fixture)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var violations = await LedgerInvariants.ViolationsAsync(scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>());
        Assert.True(violations.Count == 0, "Ledger invariants broken:\n" + string.Join("\n", violations));
    }
}
