using Marketplace.Domain.Credits;

namespace Marketplace.UnitTests.Subscriptions;

public class SpendOrderTests
{
    private static readonly DateOnly Today = new(2026, 1, 15);
    private static readonly DateTimeOffset Long = new(2025, 4, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Guid Offer = Guid.Parse("00000000-0000-0000-0000-0000000000aa");

    private static GrantBalance Grant(string id, CreditSource source, int remaining, int expiresInDays, Func<Guid, bool>? fence = null) =>
        new(Guid.Parse($"00000000-0000-0000-0000-{id.PadLeft(12, '0')}"), source, remaining, Today.AddDays(expiresInDays), Long, fence);

    // Funded credits and their ring-fences are not drawn by the real ledger (ledger_spend leaves them
    // alone until funds exist), so the specification is tested here only for what the ledger does;
    // SpendOrderAgreementTests proves the database agrees, and that it never touches a funded grant.
    [Fact]
    public void Allowance_goes_first_then_earned_then_purchased()
    {
        var grants = new[]
        {
            Grant("1", CreditSource.Purchased, 5, 300),
            Grant("2", CreditSource.Earned, 5, 200),
            Grant("3", CreditSource.Allowance, 5, 60),
        };

        var draws = SpendOrder.Allocate(grants, 12, Offer, Today)!;

        Assert.Equal(["3", "2", "1"], draws.Select(d => d.GrantId.ToString()[^1..]));
        Assert.Equal([5, 5, 2], draws.Select(d => d.Credits));
    }

    [Fact]
    public void Allowance_expiring_soonest_is_used_first()
    {
        var grants = new[] { Grant("1", CreditSource.Allowance, 4, 90), Grant("2", CreditSource.Allowance, 4, 10) };

        var draws = SpendOrder.Allocate(grants, 6, Offer, Today)!;

        Assert.Equal([(2, 4), (1, 2)], draws.Select(d => ((int)d.GrantId.ToByteArray()[15], d.Credits)));
    }

    [Fact]
    public void Expired_grants_are_never_drawn_on()
    {
        var grants = new[] { Grant("1", CreditSource.Allowance, 10, -1), Grant("2", CreditSource.Purchased, 2, 0) };

        Assert.Null(SpendOrder.Allocate(grants, 3, Offer, Today));
        Assert.Equal(2, SpendOrder.Allocate(grants, 2, Offer, Today)!.Single().Credits);
    }

    [Fact]
    public void Not_enough_credit_allocates_nothing()
    {
        Assert.Null(SpendOrder.Allocate([Grant("1", CreditSource.Purchased, 9, 30)], 10, Offer, Today));
    }
}
