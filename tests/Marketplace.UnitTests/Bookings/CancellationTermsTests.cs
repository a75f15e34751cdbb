using Marketplace.Domain.Bookings;

namespace Marketplace.UnitTests.Bookings;

public class CancellationTermsTests
{
    private static readonly DateOnly FirstDate = new(2026, 4, 16); // the Thursday after Easter 2026
    private static readonly DateTimeOffset Starts = new(2026, 4, 16, 8, 0, 0, TimeSpan.Zero); // 09:00 BST

    private static CancellationCharge Cancel(DateOnly today) =>
        CancellationTerms.Default.ChargeFor(20, FirstDate, Starts, today, new DateTimeOffset(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));

    [Fact]
    public void Ten_working_days_before_is_free_and_the_Easter_bank_holidays_do_not_count()
    {
        // 31 March → 16 April: 1, 2, 7–10, 13–16 April = 10 working days (3 and 6 April are bank holidays).
        Assert.Equal(0, Cancel(new DateOnly(2026, 3, 31)).Credits);
        // One day later there are nine: the 50% charge applies, though 16 calendar days remain.
        var late = Cancel(new DateOnly(2026, 4, 1));
        Assert.Equal(10, late.Credits);
        Assert.Contains("9 working days", late.Rule);
        Assert.Equal(10, Cancel(new DateOnly(2026, 4, 2)).Credits);
    }

    [Fact]
    public void Under_48_hours_before_counts_as_delivered()
    {
        var terms = CancellationTerms.Default;
        Assert.Equal(20, terms.ChargeFor(20, FirstDate, Starts, new DateOnly(2026, 4, 14), Starts.AddHours(-47)).Credits);
        Assert.Equal(10, terms.ChargeFor(20, FirstDate, Starts, new DateOnly(2026, 4, 14), Starts.AddHours(-49)).Credits);
    }

    [Fact]
    public void The_late_charge_rounds_up_to_a_whole_credit()
    {
        Assert.Equal(4, CancellationTerms.Default.ChargeFor(7, FirstDate, Starts, new DateOnly(2026, 4, 8), new DateTimeOffset(2026, 4, 8, 12, 0, 0, TimeSpan.Zero)).Credits);
    }
}
