namespace Marketplace.Domain.Subscriptions;

/// <summary>
/// Who pays what of one fee: the school, a named fund, or a split by the school's share in basis
/// points (10,000 = all of it). The two shares always add up to the fee. In a split the school's share
/// rounds half up to the penny and the fund pays the rest, so an odd half penny falls to the school:
/// £10.01 split 50/50 is £5.01 for the school and £5.00 for the fund (ADR 0014).
/// </summary>
public readonly record struct PayerShare(long SchoolPence, long FundPence)
{
    public static PayerShare Of(long feePence, Payer payer, int schoolShareBasisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(feePence);
        switch (payer)
        {
            case Payer.School: return new(feePence, 0);
            case Payer.Fund: return new(0, feePence);
            default:
                ArgumentOutOfRangeException.ThrowIfNegative(schoolShareBasisPoints);
                ArgumentOutOfRangeException.ThrowIfGreaterThan(schoolShareBasisPoints, 10_000);
                // Integer half-up: adding half the divisor before dividing rounds .5 of a penny up (fees are never negative).
                var school = checked(feePence * schoolShareBasisPoints + 5_000) / 10_000;
                return new(school, feePence - school);
        }
    }
}
