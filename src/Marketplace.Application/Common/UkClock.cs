namespace Marketplace.Application.Common;

/// <summary>Dates that matter to schools and councils are England's calendar dates, not UTC's.</summary>
public static class UkClock
{
    /// <summary>Europe/London, or UTC where the machine has no time-zone data.</summary>
    public static readonly TimeZoneInfo London = Find();

    public static DateOnly Today(this TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), London).DateTime);

    /// <summary>The UK calendar date of an instant.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, London).DateTime);

    /// <summary>The instant a UK calendar day starts.</summary>
    public static DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, London.GetUtcOffset(local)).ToUniversalTime(); // Npgsql writes UTC only
    }

    private static TimeZoneInfo Find()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Europe/London"); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Utc; } // no tzdata: UTC is at most an hour out
    }
}
