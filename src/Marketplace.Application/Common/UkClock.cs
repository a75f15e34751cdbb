namespace Marketplace.Application.Common;

/// <summary>Dates that matter to schools and councils are England's calendar dates, not UTC's.</summary>
public static class UkClock
{
    /// <summary>Europe/London. The service refuses to start without it (see <see cref="Find"/>).</summary>
    public static readonly TimeZoneInfo London = Find();

    public static DateOnly Today(this TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), London).DateTime);

    /// <summary>The UK calendar date of an instant.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, London).DateTime);

    /// <summary>The instant a UK calendar day starts.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => At(day, TimeOnly.MinValue);

    /// <summary>The instant of a UK wall-clock time on a UK calendar day (in UTC: Npgsql writes UTC only).</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);
        // A time the clocks skip (01:00-02:00 on the last Sunday of March) is read as the hour after.
        if (London.IsInvalidTime(local)) local = local.AddHours(1);
        return new DateTimeOffset(local, London.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>
    /// Without the zone every UK date near midnight would be an hour out for half the year (deadlines,
    /// periods, expiry), so a machine without time-zone data fails at start-up instead of guessing UTC.
    /// </summary>
    private static TimeZoneInfo Find()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Europe/London"); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidOperationException(
                "The Europe/London time zone is missing on this machine; install the tzdata package (apt-get install tzdata).", e);
        }
    }
}
