using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Subscriptions;

namespace Marketplace.UnitTests.Subscriptions;

public class SubscriptionTests
{
    private static readonly Guid La = Guid.Parse("00000000-0000-0000-0000-000000000816");
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Period Fy2026 = Period.Containing(PeriodBasis.FinancialYear, new DateOnly(2026, 5, 1));

    private static TierPackage Package(Tier tier, long fee, long perPupil, int credits, int notice = 90, int maxTerm = 3) =>
        new(Guid.NewGuid(), La, 2026, tier, new TierTerms(fee, perPupil, credits, tier == Tier.Gold ? 1_500 : 500,
            tier == Tier.Bronze ? 0 : 3, tier != Tier.Bronze, tier == Tier.Gold, tier == Tier.Gold, notice, maxTerm, 12));

    private static Subscription Bronze(int termYears = 1) =>
        new(Guid.NewGuid(), Guid.NewGuid(), La, Package(Tier.Bronze, 1_000_00, 2_00, 20), PeriodBasis.FinancialYear, Fy2026,
            200, Payer.School, null, 0, termYears, null, Now);

    [Fact]
    public void The_fee_is_the_flat_fee_plus_the_per_pupil_rate_and_is_frozen_at_the_start()
    {
        var subscription = Bronze();

        Assert.Equal(1_000_00 + 200 * 2_00, subscription.FeePence);
        Assert.Equal(20, subscription.CreditsIncluded);
        Assert.Equal(SubscriptionChangeKind.Started, subscription.Changes.Single().Kind);
    }

    [Fact]
    public void An_upgrade_charges_and_grants_the_prorated_difference_for_the_days_remaining()
    {
        var subscription = Bronze();
        var gold = Package(Tier.Gold, 3_000_00, 4_00, 60);
        var halfway = Fy2026.Start.AddDays(182); // 183 of 365 days left

        var change = subscription.Upgrade(gold, 200, halfway, null, null, Now);

        Assert.Equal(183, Proration.DaysRemaining(Fy2026, halfway));
        Assert.Equal(Proration.Fee((3_000_00 + 800_00) - (1_000_00 + 400_00), Fy2026, halfway), change.FeePence);
        Assert.Equal(1_203_29, change.FeePence); // 240000 * 183 / 365 = 120328.77 → 120329
        Assert.Equal(20, change.Credits); // 40 * 183 / 365 = 20.05 → 20
        Assert.Equal(Tier.Gold, subscription.Tier);
        Assert.Equal(3_800_00, subscription.FeePence);
    }

    [Fact]
    public void A_downgrade_waits_for_the_next_period()
    {
        var subscription = new Subscription(Guid.NewGuid(), Guid.NewGuid(), La, Package(Tier.Gold, 3_000_00, 0, 60),
            PeriodBasis.FinancialYear, Fy2026, 200, Payer.School, null, 0, 1, null, Now);

        var change = subscription.ScheduleDowngrade(Tier.Silver, new DateOnly(2026, 6, 1), null, Now);

        Assert.Equal(Tier.Gold, subscription.Tier);
        Assert.Equal(Tier.Silver, subscription.NextPeriodTier);
        Assert.Equal(new DateOnly(2027, 4, 1), change.EffectiveOn);
    }

    [Fact]
    public void An_upgrade_to_the_same_or_a_lower_tier_is_refused()
    {
        var subscription = Bronze();

        var error = Assert.Throws<DomainRuleException>(() => subscription.Upgrade(Package(Tier.Bronze, 0, 0, 0), 200, Fy2026.Start, null, null, Now));

        Assert.Equal("subscription.not-an-upgrade", error.Code);
        Assert.Equal(Tier.Bronze, subscription.Tier);
    }

    [Fact]
    public void Notice_given_in_time_ends_the_subscription_at_the_end_of_its_term()
    {
        var subscription = Bronze();

        subscription.GiveNotice(Fy2026.End.AddDays(-90), "Moving to the trust's own service", null, Now);

        Assert.Equal(Fy2026.End, subscription.EndsOn);
    }

    [Fact]
    public void Late_notice_runs_to_the_end_of_the_following_period()
    {
        var subscription = Bronze();

        subscription.GiveNotice(Fy2026.End.AddDays(-89), null, null, Now);

        Assert.Equal(new DateOnly(2028, 3, 31), subscription.EndsOn);
    }

    [Fact]
    public void A_three_year_term_freezes_the_price_until_its_end()
    {
        var subscription = Bronze(termYears: 3);

        Assert.Equal(new DateOnly(2029, 3, 31), subscription.TermEndsOn);
        subscription.GiveNotice(new DateOnly(2026, 6, 1), null, null, Now);
        Assert.Equal(new DateOnly(2029, 3, 31), subscription.EndsOn);
    }

    [Fact]
    public void A_term_longer_than_the_package_allows_is_refused()
    {
        Assert.Throws<DomainRuleException>(() => new Subscription(Guid.NewGuid(), Guid.NewGuid(), La, Package(Tier.Bronze, 0, 0, 0, maxTerm: 2),
            PeriodBasis.FinancialYear, Fy2026, 10, Payer.School, null, 0, 3, null, Now));
    }

    [Fact]
    public void A_package_that_has_started_cannot_be_changed()
    {
        var package = Package(Tier.Silver, 2_000_00, 0, 40);
        var terms = package.Terms with { CreditsIncluded = 45 };

        Assert.Throws<DomainRuleException>(() => package.Change(terms, new DateOnly(2026, 4, 1)));
        package.Change(terms, new DateOnly(2026, 3, 31));
        Assert.Equal(45, package.CreditsIncluded);
    }
}
