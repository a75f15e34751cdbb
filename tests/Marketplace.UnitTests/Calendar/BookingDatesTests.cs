using Marketplace.Domain.Bookings;

namespace Marketplace.UnitTests.Calendar;

public class BookingDatesTests
{
    private static readonly DateOnly Today = new(2026, 11, 18);

    [Fact]
    public void Today_and_the_past_are_refused()
    {
        Assert.Contains("not in the future", BookingDates.Refusal(Today, Today));
        Assert.Contains("not in the future", BookingDates.Refusal(Today.AddDays(-1), Today));
        Assert.Null(BookingDates.Refusal(Today.AddDays(1), Today));
    }

    [Fact]
    public void More_than_two_years_ahead_is_refused()
    {
        Assert.Null(BookingDates.Refusal(new DateOnly(2028, 11, 18), Today));
        Assert.Equal("19 November 2028 is more than 2 years ahead: choose a date on or before 18 November 2028",
            BookingDates.Refusal(new DateOnly(2028, 11, 19), Today));
    }

    [Theory]
    [InlineData("2026-12-25", "25 December 2026 is a bank holiday")]
    [InlineData("2027-12-27", "27 December 2027 is a bank holiday")] // Christmas Day's substitute in 2027
    [InlineData("2027-12-28", "28 December 2027 is a bank holiday")] // Boxing Day's substitute in 2027
    [InlineData("2026-11-21", "21 November 2026 is a Saturday")]
    [InlineData("2026-11-22", "22 November 2026 is a Sunday")]
    public void Weekends_and_bank_holidays_earn_a_warning(string date, string warning)
    {
        Assert.Equal(warning, BookingDates.Warning(DateOnly.Parse(date)));
    }

    [Fact]
    public void An_ordinary_weekday_has_no_warning() => Assert.Null(BookingDates.Warning(new DateOnly(2026, 11, 19)));
}
