namespace Marketplace.Domain.Common;

/// <summary>
/// The one range of calendar dates the service accepts from anyone, in any field or query: 1 January 2000
/// to 31 December 2099. Nothing the service records (inspections, subscriptions, bookings, statements,
/// calendars) falls outside it, and keeping to it means no date arithmetic can run off the ends of the
/// calendar (<c>9999-12-31</c> plus a day) or reach PostgreSQL's <c>-infinity</c>.
/// </summary>
public static class ServiceDates
{
    public static readonly DateOnly Earliest = new(2000, 1, 1);
    public static readonly DateOnly Latest = new(2099, 12, 31);

    public static bool Contains(DateOnly date) => date >= Earliest && date <= Latest;

    /// <summary>What a person reads when a date falls outside the range.</summary>
    public const string OutOfRangeMessage = "must be between 1 January 2000 and 31 December 2099";
}
