namespace Marketplace.IntegrationTests.Infrastructure;

/// <summary>
/// Expected values worked out the way a finance officer would, independently of the production code, for
/// tests whose answer depends on the day the run is pinned to.
/// </summary>
public static class Expected
{
    /// <summary>
    /// The allowance difference granted for a change on <paramref name="day"/>: the annual difference times
    /// the whole days left in the period counting that day, over the period's days, rounded down. On the
    /// last day of a year that is usually nothing.
    /// </summary>
    public static int ProratedCredits(int annualDifference, DateOnly periodStart, DateOnly periodEnd, DateOnly day) =>
        annualDifference * (periodEnd.DayNumber - day.DayNumber + 1) / (periodEnd.DayNumber - periodStart.DayNumber + 1);
}
