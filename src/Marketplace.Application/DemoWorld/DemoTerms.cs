using Marketplace.Domain.Bookings;
using Marketplace.Domain.Calendar;

namespace Marketplace.Application.DemoWorld;

/// <summary>
/// The demo world's school terms, York's pattern worked out for any academic year so the demo has terms
/// whatever day it is seeded on: six terms (autumn, spring and summer, each split by a half-term week:
/// the week of October's last Monday, the week of the third Monday of February, the spring bank holiday's week),
/// two weeks at Christmas and at Easter, the summer from about 22 July; five INSET days. North Yorkshire
/// and East Riding keep the same terms with their INSET days on other days, as neighbouring LAs do.
/// The integration tests pick "the next working day in term" with <see cref="InTermEverywhere"/>.
/// </summary>
public static class DemoTerms
{
    public static IReadOnlyList<(string Name, DateOnly StartsOn, DateOnly EndsOn)> Terms(int year)
    {
        var autumnStart = NextWeekday(new DateOnly(year, 9, 1));
        var octoberHalfTerm = WorkingDays.LastMonday(year, 10);
        var christmas = LastFridayOnOrBefore(new DateOnly(year, 12, 20));
        var springStart = NextWorkingDay(new DateOnly(year + 1, 1, 4));
        var februaryHalfTerm = WorkingDays.FirstMonday(year + 1, 2).AddDays(14);
        var goodFriday = WorkingDays.EasterSunday(year + 1).AddDays(-2);
        var summerStart = NextWorkingDay(goodFriday.AddDays(17)); // two weeks off, from Good Friday
        var mayHalfTerm = WorkingDays.LastMonday(year + 1, 5);
        var summerEnd = LastWeekdayOnOrBefore(new DateOnly(year + 1, 7, 21));
        return
        [
            ("Autumn 1", autumnStart, octoberHalfTerm.AddDays(-3)),
            ("Autumn 2", octoberHalfTerm.AddDays(7), christmas),
            ("Spring 1", springStart, februaryHalfTerm.AddDays(-3)),
            ("Spring 2", februaryHalfTerm.AddDays(7), goodFriday.AddDays(-1)),
            ("Summer 1", summerStart, mayHalfTerm.AddDays(-3)),
            ("Summer 2", mayHalfTerm.AddDays(7), summerEnd),
        ];
    }

    public static IReadOnlyList<DateOnly> InsetDays(int year, int laCode)
    {
        var t = Terms(year);
        var first = t[0].StartsOn;
        return laCode switch
        {
            DemoAccounts.YorkCode => [first, NextWeekday(first.AddDays(1)), t[2].StartsOn, t[5].StartsOn, t[5].EndsOn],
            DemoAccounts.NorthYorkshireCode => [first, NextWeekday(first.AddDays(1)), t[1].EndsOn, t[4].StartsOn, t[5].EndsOn],
            _ => [first, t[1].StartsOn, t[2].StartsOn, t[3].StartsOn, t[5].EndsOn],
        };
    }

    public static readonly int[] LaCodes = [DemoAccounts.YorkCode, DemoAccounts.NorthYorkshireCode, DemoAccounts.EastRidingCode];

    /// <summary>A working day in term, and not an INSET day, in every demo LA.</summary>
    public static bool InTermEverywhere(DateOnly day)
    {
        if (!WorkingDays.IsWorkingDay(day)) return false;
        var year = AcademicYears.Of(day);
        return Terms(year).Any(t => t.StartsOn <= day && day <= t.EndsOn) && LaCodes.All(code => !InsetDays(year, code).Contains(day));
    }

    /// <summary>The date <paramref name="days"/> term-time working days after <paramref name="from"/>.</summary>
    public static DateOnly AddTermDays(DateOnly from, int days)
    {
        var d = from;
        while (days > 0)
        {
            d = d.AddDays(1);
            if (InTermEverywhere(d)) days--;
        }
        return d;
    }

    private static DateOnly NextWeekday(DateOnly d)
    {
        while (d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) d = d.AddDays(1);
        return d;
    }

    private static DateOnly NextWorkingDay(DateOnly d)
    {
        while (!WorkingDays.IsWorkingDay(d)) d = d.AddDays(1);
        return d;
    }

    private static DateOnly LastWeekdayOnOrBefore(DateOnly d)
    {
        while (d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) d = d.AddDays(-1);
        return d;
    }

    private static DateOnly LastFridayOnOrBefore(DateOnly d)
    {
        while (d.DayOfWeek != DayOfWeek.Friday) d = d.AddDays(-1);
        return d;
    }
}
