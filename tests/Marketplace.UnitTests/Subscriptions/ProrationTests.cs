using Marketplace.Domain.Subscriptions;

namespace Marketplace.UnitTests.Subscriptions;

public class ProrationTests
{
    private static readonly Period Fy2025 = Period.Containing(PeriodBasis.FinancialYear, new DateOnly(2025, 6, 1));
    private static readonly Period Ay2027 = Period.Containing(PeriodBasis.AcademicYear, new DateOnly(2027, 10, 1)); // includes 29 Feb 2028

    [Fact]
    public void Financial_and_academic_years_run_April_to_March_and_September_to_August()
    {
        Assert.Equal(new Period(new DateOnly(2025, 4, 1), new DateOnly(2026, 3, 31)), Fy2025);
        Assert.Equal(new Period(new DateOnly(2024, 4, 1), new DateOnly(2025, 3, 31)), Period.Containing(PeriodBasis.FinancialYear, new DateOnly(2025, 3, 31)));
        Assert.Equal(new Period(new DateOnly(2027, 9, 1), new DateOnly(2028, 8, 31)), Ay2027);
        Assert.Equal("2025/26", Fy2025.Label);
    }

    [Fact]
    public void A_leap_year_period_has_366_days()
    {
        Assert.Equal(365, Fy2025.Days);
        Assert.Equal(366, Ay2027.Days);
    }

    [Fact]
    public void A_change_on_the_first_day_costs_the_whole_difference()
    {
        Assert.Equal(1_200_00, Proration.Fee(1_200_00, Fy2025, Fy2025.Start));
        Assert.Equal(40, Proration.Credits(40, Fy2025, Fy2025.Start));
    }

    [Fact]
    public void A_change_on_the_last_day_costs_one_days_worth()
    {
        Assert.Equal(329, Proration.Fee(1_200_00, Fy2025, Fy2025.End)); // 120000 / 365 = 328.77 → 329
        Assert.Equal(0, Proration.Credits(40, Fy2025, Fy2025.End)); // 40 / 365 rounds down to nothing
    }

    [Fact]
    public void Fees_round_half_away_from_zero_and_credits_round_down()
    {
        // 73 days of 365 is exactly a fifth: 1 pence * 73/365 = 0.2 → 0; 5 pence → 1 exactly.
        var fifthLeft = Fy2025.End.AddDays(-72);
        Assert.Equal(73, Proration.DaysRemaining(Fy2025, fifthLeft));
        Assert.Equal(1, Proration.Fee(5, Fy2025, fifthLeft));
        // A ten-day period with one day left: a tenth of 25p is 2.5p → 3p; of -25p → -3p; of 15p → 2p.
        var tenDays = new Period(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 10));
        Assert.Equal(3, Proration.Fee(25, tenDays, tenDays.End));
        Assert.Equal(-3, Proration.Fee(-25, tenDays, tenDays.End));
        Assert.Equal(2, Proration.Fee(15, tenDays, tenDays.End));
        Assert.Equal(7, Proration.Credits(39, Fy2025, fifthLeft)); // 7.8 → 7
    }

    [Fact]
    public void Leap_day_counts_as_a_day_remaining()
    {
        var dayBeforeLeapDay = new DateOnly(2028, 2, 28);
        Assert.Equal(186, Proration.DaysRemaining(Ay2027, dayBeforeLeapDay)); // 28 Feb .. 31 Aug 2028 inclusive
        Assert.Equal(186_00, Proration.Fee(366_00, Ay2027, dayBeforeLeapDay));
    }

    [Fact]
    public void Several_changes_in_one_period_add_up_to_the_days_each_tier_was_held()
    {
        // Bronze £1,000 → silver £2,000 on day 100, silver → gold £3,650 on day 200.
        var day100 = Fy2025.Start.AddDays(99);
        var day200 = Fy2025.Start.AddDays(199);
        var first = Proration.Fee(2_000_00 - 1_000_00, Fy2025, day100);
        var second = Proration.Fee(3_650_00 - 2_000_00, Fy2025, day200);
        var total = 1_000_00 + first + second;
        // Held: bronze 99 days, silver 100 days, gold 166 days.
        var byDays = decimal.Round(1_000_00m * 99 / 365 + 2_000_00m * 100 / 365 + 3_650_00m * 166 / 365, 0, MidpointRounding.AwayFromZero);
        Assert.InRange(total, (long)byDays - 1, (long)byDays + 1); // each change rounds once, so at most a penny apart
    }

    [Fact]
    public void A_change_outside_the_period_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Proration.Fee(100, Fy2025, Fy2025.End.AddDays(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Proration.Credits(10, Fy2025, Fy2025.Start.AddDays(-1)));
    }
}
