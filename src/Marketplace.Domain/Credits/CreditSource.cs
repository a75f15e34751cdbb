namespace Marketplace.Domain.Credits;

/// <summary>Where the credits in a grant came from; decides spend order and accounting.</summary>
public enum CreditSource
{
    /// <summary>Granted from a commissioning fund, ring-fenced to the offers the fund allows.</summary>
    Funded,

    /// <summary>The tier's allowance for the period; expires at period end.</summary>
    Allowance,

    /// <summary>Earned by a school for school-to-school support it gave.</summary>
    Earned,

    /// <summary>Bought as a top-up; lasts at least twelve months.</summary>
    Purchased,
}

/// <summary>What a spend can draw on: one grant's remaining credits.</summary>
public sealed record GrantBalance(
    Guid GrantId,
    CreditSource Source,
    int Remaining,
    DateOnly ExpiresOn,
    DateTimeOffset GrantedAt,
    Func<Guid, bool>? RingFence = null);

public sealed record GrantDraw(Guid GrantId, int Credits);

/// <summary>
/// The spend order: ring-fenced funded credits the offer is eligible for, then allowance expiring
/// soonest, then earned, then purchased — within each, the soonest expiry first and then the oldest
/// grant, so the credits most at risk of being lost are used first.
/// </summary>
public static class SpendOrder
{
    public static IReadOnlyList<GrantDraw>? Allocate(IEnumerable<GrantBalance> grants, int credits, Guid offerId, DateOnly today)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(credits);
        var usable = grants
            .Where(g => g.Remaining > 0 && g.ExpiresOn >= today)
            .Where(g => g.Source != CreditSource.Funded || (g.RingFence?.Invoke(offerId) ?? false))
            .OrderBy(g => (int)g.Source)
            .ThenBy(g => g.ExpiresOn)
            .ThenBy(g => g.GrantedAt)
            .ThenBy(g => g.GrantId);

        var draws = new List<GrantDraw>();
        var left = credits;
        foreach (var grant in usable)
        {
            var take = Math.Min(left, grant.Remaining);
            draws.Add(new GrantDraw(grant.GrantId, take));
            left -= take;
            if (left == 0) return draws;
        }

        return null; // not enough credit: the caller refuses the spend and changes nothing
    }
}
