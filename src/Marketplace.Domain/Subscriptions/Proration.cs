namespace Marketplace.Domain.Subscriptions;

/// <summary>
/// Mid-period changes are charged and credited by whole days remaining, counting the day of the change:
/// a change on the first day of the period costs the full difference, one on the last day costs one
/// day's worth. Several changes in one period are each prorated from their own day, so they add up.
/// Rounding rules:
/// <list type="bullet">
/// <item><b>Fees</b> round half away from zero to the penny (what a finance officer does by hand).</item>
/// <item><b>Allowance credits</b> round down: we never grant a credit that was not paid for in full.</item>
/// </list>
/// </summary>
public static class Proration
{
    public static int DaysRemaining(Period period, DateOnly changeDate)
    {
        if (!period.Contains(changeDate))
            throw new ArgumentOutOfRangeException(nameof(changeDate), "The change date is outside the period.");
        return period.End.DayNumber - changeDate.DayNumber + 1;
    }

    /// <summary>The share of an annual fee difference (pence, may be negative) for the days remaining.</summary>
    public static long Fee(long annualPence, Period period, DateOnly changeDate)
    {
        var remaining = DaysRemaining(period, changeDate);
        // decimal keeps the product exact for any fee we hold (well under 10^20 pence-days).
        return (long)decimal.Round((decimal)annualPence * remaining / period.Days, 0, MidpointRounding.AwayFromZero);
    }

    /// <summary>The share of an annual credit allowance difference for the days remaining, rounded down.</summary>
    public static int Credits(int annualCredits, Period period, DateOnly changeDate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(annualCredits);
        var remaining = DaysRemaining(period, changeDate);
        return (int)((long)annualCredits * remaining / period.Days);
    }
}
