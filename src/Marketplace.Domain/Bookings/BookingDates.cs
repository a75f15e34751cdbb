namespace Marketplace.Domain.Bookings;

/// <summary>
/// The one set of rules for the dates of school-improvement work (preferred, confirmed and proposed dates):
/// after today (UK), at most two years ahead. Weekends and bank holidays of England and Wales are allowed
/// (a Saturday conference happens) but earn a warning shown before the booking is sent.
/// School terms are a separate rule (<see cref="SchoolTermRule"/>) because they depend on the LA's data.
/// </summary>
public static class BookingDates
{
    public const int YearsAhead = 2;

    public static DateOnly Latest(DateOnly today) => today.AddYears(YearsAhead);

    /// <summary>Why <paramref name="date"/> cannot be booked, or null when it can.</summary>
    public static string? Refusal(DateOnly date, DateOnly today) =>
        date <= today ? $"{Long(date)} is not in the future: choose a date after today"
        : date > Latest(today) ? $"{Long(date)} is more than {YearsAhead} years ahead: choose a date on or before {Long(Latest(today))}"
        : null;

    /// <summary>What the person should know before booking <paramref name="date"/> (not a refusal).</summary>
    public static string? Warning(DateOnly date) =>
        WorkingDays.IsBankHoliday(date) ? $"{Long(date)} is a bank holiday"
        : date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? $"{Long(date)} is a {date.DayOfWeek}"
        : null;

    public static string Long(DateOnly d) => d.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
}
