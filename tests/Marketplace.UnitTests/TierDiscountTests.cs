using Marketplace.Domain.Common;

namespace Marketplace.UnitTests;

/// <summary>The one tier discount for extra credits and services: the discounted price rounds down to a penny, in the school's favour.</summary>
public class TierDiscountTests
{
    [Theory]
    [InlineData(5_000, 0, 5_000)] // no discount
    [InlineData(5_000, 1_000, 4_500)] // 10 % off an exact amount
    [InlineData(5_000, 10_000, 0)] // 100 % off
    [InlineData(0, 2_000, 0)]
    [InlineData(1, 1, 0)] // 0.9999p rounds down: the school never pays for a fraction of a penny
    [InlineData(999, 1_000, 899)] // 899.1p → 899p
    [InlineData(4_999, 1_500, 4_249)] // 4,249.15p → 4,249p
    [InlineData(3_333, 3_333, 2_222)] // 2,222.1111p → 2,222p
    [InlineData(45_000, 1_000, 40_500)] // a day at £450 less 10 %
    [InlineData(1_000_000_00, 2_000, 800_000_00)] // large amounts stay exact
    public void The_discounted_price_is_rounded_down_to_a_whole_penny(long pence, int basisPoints, long expected) =>
        Assert.Equal(expected, TierDiscount.Apply(pence, basisPoints));

    [Fact]
    public void Half_a_penny_and_more_still_rounds_down()
    {
        // 55p less 10 % is 49.5p; 57p less 10 % is 51.3p; 59p less 10 % is 53.1p; 5p less 10 % is 4.5p.
        Assert.Equal([49L, 51L, 53L, 4L], new long[] { 55, 57, 59, 5 }.Select(p => TierDiscount.Apply(p, 1_000)).ToArray());
    }

    [Fact]
    public void The_discount_never_takes_less_than_advertised()
    {
        for (long pence = 0; pence <= 2_000; pence++)
            foreach (var bp in new[] { 1, 250, 999, 1_000, 1_500, 2_000, 3_333, 9_999 })
            {
                var discounted = TierDiscount.Apply(pence, bp);
                // The school pays at most price × (1 − discount), and less than a penny below it.
                Assert.True(discounted * 10_000 <= pence * (10_000 - bp), $"{pence}p at {bp}bp");
                Assert.True((discounted + 1) * 10_000 > pence * (10_000 - bp), $"{pence}p at {bp}bp");
            }
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(100, -1)]
    [InlineData(100, 10_001)]
    public void Out_of_range_amounts_and_discounts_are_refused(long pence, int basisPoints) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TierDiscount.Apply(pence, basisPoints));
}
