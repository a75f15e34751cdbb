namespace Marketplace.Domain.Common;

/// <summary>
/// The one tier-discount rule: a subscription's package takes a percentage (in basis points, 1/100 of
/// a percent) off everything the school buys at its tier from the LA's marketplace: extra credits and
/// services paid for in pounds. The discounted price is rounded <b>down</b> to a whole penny, so a
/// rounding never takes part of a penny of the advertised discount away from the school: a school
/// spends public money with its own council, and "10 % off" must never cost it more than 90 % of the
/// price (see docs/adr/0013-use-case-layout-and-money-rules.md).
/// </summary>
public static class TierDiscount
{
    /// <summary>100 % in basis points.</summary>
    public const int WholeInBasisPoints = 10_000;

    /// <summary>The price of one unit after the discount: ⌊pence × (10,000 − basis points) / 10,000⌋.</summary>
    public static long Apply(long pence, int discountBasisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pence);
        ArgumentOutOfRangeException.ThrowIfNegative(discountBasisPoints);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(discountBasisPoints, WholeInBasisPoints);
        // Integer division of non-negative numbers floors: the remainder (a part of a penny) stays with the school.
        return checked(pence * (WholeInBasisPoints - discountBasisPoints)) / WholeInBasisPoints;
    }
}
