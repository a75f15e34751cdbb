namespace Marketplace.Domain.Bookings;

/// <summary>
/// England's working days: weekdays that are not bank holidays. The bank holidays are computed by the
/// rules in the Banking and Financial Dealings Act 1971 and its proclamations (New Year's Day, Good
/// Friday, Easter Monday, early May, spring and summer bank holidays, Christmas and Boxing Day, with
/// substitute days at weekends), plus the one-off days proclaimed since 2020.
/// </summary>
public static class WorkingDays
{
    private static readonly HashSet<DateOnly> OneOffs =
    [
        new(2022, 6, 3),   // Platinum Jubilee
        new(2022, 9, 19),  // State funeral of Queen Elizabeth II
        new(2023, 5, 8),   // Coronation of King Charles III
    ];

    public static bool IsBankHoliday(DateOnly day) => BankHolidays(day.Year).Contains(day);

    public static bool IsWorkingDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !BankHolidays(day.Year).Contains(day);

    /// <summary>Working days strictly between <paramref name="from"/> and <paramref name="to"/>, counting <paramref name="to"/> but not <paramref name="from"/>.</summary>
    public static int Between(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var d = from.AddDays(1); d <= to; d = d.AddDays(1))
            if (IsWorkingDay(d)) count++;
        return count;
    }

    /// <summary>The date <paramref name="days"/> working days after <paramref name="from"/>.</summary>
    public static DateOnly Add(DateOnly from, int days)
    {
        var d = from;
        while (days > 0)
        {
            d = d.AddDays(1);
            if (IsWorkingDay(d)) days--;
        }
        return d;
    }

    public static IReadOnlySet<DateOnly> BankHolidays(int year)
    {
        var days = new HashSet<DateOnly>();
        var easter = EasterSunday(year);
        days.Add(Substitute(new DateOnly(year, 1, 1)));
        days.Add(easter.AddDays(-2));
        days.Add(easter.AddDays(1));
        // Early May: the first Monday, moved to Friday 8 May in 2020 (VE Day 75).
        days.Add(year == 2020 ? new DateOnly(2020, 5, 8) : FirstMonday(year, 5));
        // Spring: last Monday in May, moved to 2 June in 2022 (Platinum Jubilee).
        days.Add(year == 2022 ? new DateOnly(2022, 6, 2) : LastMonday(year, 5));
        days.Add(LastMonday(year, 8));
        var christmas = new DateOnly(year, 12, 25);
        var boxing = new DateOnly(year, 12, 26);
        switch (christmas.DayOfWeek)
        {
            case DayOfWeek.Friday: days.Add(christmas); days.Add(new DateOnly(year, 12, 28)); break;    // Boxing Day on Saturday → Monday
            case DayOfWeek.Saturday: days.Add(new DateOnly(year, 12, 27)); days.Add(new DateOnly(year, 12, 28)); break;
            case DayOfWeek.Sunday: days.Add(boxing); days.Add(new DateOnly(year, 12, 27)); break;       // Christmas substitute on Tuesday
            default: days.Add(christmas); days.Add(boxing); break;
        }
        foreach (var d in OneOffs.Where(d => d.Year == year)) days.Add(d);
        return days;
    }

    private static DateOnly Substitute(DateOnly day) => day.DayOfWeek switch
    {
        DayOfWeek.Saturday => day.AddDays(2),
        DayOfWeek.Sunday => day.AddDays(1),
        _ => day,
    };

    /// <summary>The month's first Monday (the early May bank holiday; the demo world's half terms).</summary>
    public static DateOnly FirstMonday(int year, int month)
    {
        var d = new DateOnly(year, month, 1);
        while (d.DayOfWeek != DayOfWeek.Monday) d = d.AddDays(1);
        return d;
    }

    /// <summary>The month's last Monday (the spring and summer bank holidays; the demo world's half terms).</summary>
    public static DateOnly LastMonday(int year, int month)
    {
        var d = new DateOnly(year, month, 1).AddMonths(1).AddDays(-1);
        while (d.DayOfWeek != DayOfWeek.Monday) d = d.AddDays(-1);
        return d;
    }

    /// <summary>Western Easter Sunday (the anonymous Gregorian algorithm).</summary>
    public static DateOnly EasterSunday(int year)
    {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
        return new DateOnly(year, month, day);
    }
}
