using Marketplace.Domain.Common;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Subscriptions;

namespace Marketplace.UnitTests.Subscriptions;

/// <summary>The payer-share split and the pupil-number fee at their edges; every expected value worked out by hand.</summary>
public class MoneyRuleTests
{
    [Theory]
    [InlineData(Payer.School, 0, 1_001, 1_001, 0)]
    [InlineData(Payer.School, 2_500, 1_001, 1_001, 0)]   // a share given with "school" is ignored
    [InlineData(Payer.Fund, 0, 1_001, 0, 1_001)]
    [InlineData(Payer.Split, 5_000, 1_001, 501, 500)]    // 500.5p: the odd half penny falls to the school
    [InlineData(Payer.Split, 5_000, 1_000, 500, 500)]    // exactly half
    [InlineData(Payer.Split, 2_500, 2, 1, 1)]            // 0.5p rounds up to 1p
    [InlineData(Payer.Split, 2_500, 3, 1, 2)]            // 0.75p rounds to 1p
    [InlineData(Payer.Split, 3_333, 100, 33, 67)]        // 33.33p rounds down to 33p
    [InlineData(Payer.Split, 1, 4_999, 0, 4_999)]        // 0.4999p rounds down to nothing
    [InlineData(Payer.Split, 1, 5_000, 1, 4_999)]        // 0.5p rounds up to 1p
    [InlineData(Payer.Split, 9_999, 1, 1, 0)]            // 0.9999p rounds up to the whole penny
    [InlineData(Payer.Split, 5_000, 0, 0, 0)]
    [InlineData(Payer.Split, 9_999, 1_000_000_00, 99_990_000, 10_000)] // £1,000,000 at 99.99%: 99,990,000p exactly, the fund £100
    public void A_fee_splits_between_school_and_fund_and_the_shares_add_up(Payer payer, int schoolShare, long fee, long school, long fund)
    {
        var share = PayerShare.Of(fee, payer, schoolShare);

        Assert.Equal(new PayerShare(school, fund), share);
    }

    [Fact]
    public void A_split_refuses_a_negative_fee_or_a_share_outside_none_to_all()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PayerShare.Of(-1, Payer.School, 10_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => PayerShare.Of(100, Payer.Split, 10_001));
        Assert.Throws<ArgumentOutOfRangeException>(() => PayerShare.Of(100, Payer.Split, -1));
    }

    [Theory]
    [InlineData(750_00, 3_00, 0, 750_00)]             // no pupils: the flat fee
    [InlineData(750_00, 3_00, 420, 2_010_00)]         // £750 + 420 x £3 = £750 + £1,260 = £2,010
    [InlineData(1_500_00, 6_50, 1, 1_506_50)]         // one pupil adds one rate
    [InlineData(0, 9_00, 1_000, 9_000_00)]            // per pupil only: 1,000 x £9 = £9,000
    [InlineData(0, 0, 1_000, 0)]                      // a free tier
    [InlineData(1_000_000_00, 1_000_00, int.MaxValue, 214_748_464_700_000)] // the largest package and roll: 10^8 + 10^5 x 2,147,483,647, well inside a long
    public void The_fee_is_the_flat_fee_plus_the_per_pupil_rate_for_each_pupil(long flat, long perPupil, int pupils, long fee)
    {
        Assert.Equal(fee, PupilNumberFee.For(flat, perPupil, pupils));
    }

    [Fact]
    public void The_fee_refuses_negative_parts_and_overflow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PupilNumberFee.For(-1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PupilNumberFee.For(0, -1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PupilNumberFee.For(0, 0, -1));
        Assert.Throws<OverflowException>(() => PupilNumberFee.For(long.MaxValue, 1, 1));
    }

    [Fact]
    public void A_package_charges_by_the_pupil_number_fee()
    {
        var package = new TierPackage(Guid.NewGuid(), Guid.NewGuid(), 2026, Tier.Silver, new TierTerms(1_500_00, 6_00, 25, 1_000, 3, true, false, false, 90, 2, 12));

        Assert.Equal(3_000_00, package.FeeFor(250)); // £1,500 + 250 x £6 = £3,000
        Assert.Equal(45_00, package.CostBasisPencePerCredit(50_00)); // a £50 credit less silver's 10% discount
    }

    [Fact]
    public void An_allowance_credit_is_worth_what_the_tier_pays_for_a_purchased_credit_rounded_down()
    {
        // 12.5% off a £49.99 credit: 4,999 x 0.875 = 4,374.125p, so 4,374p, the same as a purchase at that tier.
        var package = new TierPackage(Guid.NewGuid(), Guid.NewGuid(), 2026, Tier.Gold, new TierTerms(2_800_00, 9_00, 45, 1_250, 5, true, true, true, 90, 3, 18));

        Assert.Equal(4_374, package.CostBasisPencePerCredit(49_99));
        Assert.Equal(TierDiscount.Apply(49_99, 1_250), package.CostBasisPencePerCredit(49_99));
    }
}
