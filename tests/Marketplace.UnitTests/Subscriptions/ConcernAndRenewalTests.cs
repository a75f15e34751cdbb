using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;

namespace Marketplace.UnitTests.Subscriptions;

public class ConcernAndRenewalTests
{
    private static readonly Guid La = Guid.Parse("00000000-0000-0000-0000-000000000816");
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Period Fy2026 = Period.Containing(PeriodBasis.FinancialYear, new DateOnly(2026, 5, 1));

    private static TierPackage Package(Tier tier, long fee, int credits) =>
        new(Guid.NewGuid(), La, 2026, tier, new TierTerms(fee, 0, credits, 0, 0, false, false, false, 90, 1, 12));

    [Fact]
    public void Joining_part_way_pays_and_receives_the_days_remaining()
    {
        var joined = new DateOnly(2026, 10, 1); // 182 of 365 days left
        var s = new Subscription(Guid.NewGuid(), Guid.NewGuid(), La, Package(Tier.Gold, 3_650_00, 73), PeriodBasis.FinancialYear, Fy2026,
            0, Payer.School, null, 0, 1, null, Now, startsOn: joined);

        var started = s.Changes.Single();
        Assert.Equal(182, Proration.DaysRemaining(Fy2026, joined));
        Assert.Equal(1_820_00, started.FeePence);
        Assert.Equal(36, started.Credits); // 73 * 182 / 365 = 36.4, rounded down
        Assert.Equal(3_650_00, s.FeePence); // the annual fee is still the annual fee
        Assert.Throws<DomainRuleException>(() => new Subscription(Guid.NewGuid(), Guid.NewGuid(), La, Package(Tier.Gold, 1, 1), PeriodBasis.FinancialYear,
            Fy2026, 0, Payer.School, null, 0, 1, null, Now, startsOn: new DateOnly(2027, 4, 1)));
    }

    [Theory]
    [InlineData(Payer.School, 0, 1_001, 1_001, 0)]
    [InlineData(Payer.Fund, 0, 1_001, 0, 1_001)]
    [InlineData(Payer.Split, 5_000, 1_001, 501, 500)] // the school's half rounds half up; the fund pays the rest
    [InlineData(Payer.Split, 3_333, 100, 33, 67)]
    public void A_fee_is_split_between_school_and_fund_to_the_penny(Payer payer, int schoolShare, long fee, long school, long fund)
    {
        var s = new Subscription(Guid.NewGuid(), Guid.NewGuid(), La, Package(Tier.Bronze, 0, 0), PeriodBasis.FinancialYear, Fy2026,
            0, Payer.School, null, 0, 1, null, Now);
        var change = s.Upgrade(Package(Tier.Gold, fee * 365, 0), 0, Fy2026.Start, "concern", null, Now, payer, payer == Payer.School ? null : "SCC Fund", schoolShare);

        Assert.Equal(fee * 365, change.FeePence);
        Assert.Equal(payer switch { Payer.School => fee * 365, Payer.Fund => 0, _ => Subscription.Split(fee * 365, payer, schoolShare) }, change.SchoolSharePence);
        Assert.Equal(change.FeePence, change.SchoolSharePence + change.FundSharePence);
        Assert.Equal(school, Subscription.Split(fee, payer, schoolShare));
        Assert.Equal(fund, fee - Subscription.Split(fee, payer, schoolShare));
    }

    [Fact]
    public void A_split_needs_a_fund_and_a_share_strictly_between_none_and_all()
    {
        var s = new Subscription(Guid.NewGuid(), Guid.NewGuid(), La, Package(Tier.Bronze, 0, 0), PeriodBasis.FinancialYear, Fy2026,
            0, Payer.School, null, 0, 1, null, Now);
        Assert.Throws<DomainRuleException>(() => s.Upgrade(Package(Tier.Gold, 1, 0), 0, Fy2026.Start, null, null, Now, Payer.Split, null, 5_000));
        Assert.Throws<DomainRuleException>(() => s.Upgrade(Package(Tier.Gold, 1, 0), 0, Fy2026.Start, null, null, Now, Payer.Split, "Fund", 10_000));
    }

    [Fact]
    public void The_renewal_tier_can_be_set_up_or_down_and_ending_at_period_end_stops_renewal()
    {
        var s = new Subscription(Guid.NewGuid(), Guid.NewGuid(), La, Package(Tier.Silver, 0, 0), PeriodBasis.FinancialYear, Fy2026,
            0, Payer.School, null, 0, 1, null, Now);

        s.SetRenewalTier(Tier.Gold, "chosen", null, Now);
        Assert.Equal(Tier.Gold, s.RenewalTier);
        s.SetRenewalTier(Tier.Silver, "back", null, Now);
        Assert.Null(s.NextPeriodTier);
        s.EndAtPeriodEnd("declined", null, Now);
        Assert.True(s.EndsAtPeriodEnd);
        s.End("period ended", Now);
        Assert.Equal(SubscriptionStatus.Ended, s.Status);
        Assert.Throws<DomainRuleException>(() => s.SetRenewalTier(Tier.Gold, "too late", null, Now));
    }

    [Fact]
    public void A_renewal_proposal_is_answered_once()
    {
        var p = new RenewalProposal(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), La, Fy2026.Next(), Tier.Silver, 1_000_00, 25, 30, 25, "used more", Now);

        Assert.Throws<DomainRuleException>(() => p.Decline(" ", Guid.NewGuid(), Now));
        p.Confirm(Tier.Gold, Guid.NewGuid(), Now);
        Assert.Equal((RenewalStatus.Confirmed, (Tier?)Tier.Gold), (p.Status, p.ChosenTier));
        Assert.Throws<DomainRuleException>(() => p.Decline("changed our mind", Guid.NewGuid(), Now));
        Assert.Throws<DomainRuleException>(() => p.RenewByDefault(Tier.Silver, Now));
    }

    [Fact]
    public void A_concern_enrolment_exits_resumes_is_overridden_and_ends()
    {
        var e = new ConcernEnrolment(Guid.NewGuid(), Guid.NewGuid(), La, Guid.NewGuid(), Tier.Silver, "Ofsted 3", Payer.Fund, "SCC Fund", 0, 100, 5, Now);
        Assert.True(e.Blocks);

        e.Exit(Now);
        Assert.Equal(EnrolmentStatus.Exiting, e.Status);
        e.Resume();
        Assert.Equal(EnrolmentStatus.Active, e.Status);
        Assert.Throws<DomainRuleException>(() => e.Override("  ", Now));
        e.Override("Trust support", Now);
        Assert.Equal(EnrolmentStatus.Overridden, e.Status);
        Assert.Throws<DomainRuleException>(() => e.MoveTo(Guid.NewGuid()));
        e.LiftOverride();
        Assert.False(e.Blocks);
        Assert.Throws<DomainRuleException>(() => e.Exit(Now));
    }

    [Fact]
    public void An_at_risk_flag_needs_a_criterion_and_a_reason_to_clear()
    {
        Assert.Throws<DomainRuleException>(() => new RiskFlag(Guid.NewGuid(), Guid.NewGuid(), [], null, null, Now));
        var flag = new RiskFlag(Guid.NewGuid(), Guid.NewGuid(), [RiskCriterion.StatutoryDuties, RiskCriterion.AttainmentBelowFloor, RiskCriterion.StatutoryDuties], " ", null, Now);

        Assert.Equal([RiskCriterion.AttainmentBelowFloor, RiskCriterion.StatutoryDuties], flag.Reasons);
        Assert.Null(flag.Note);
        Assert.Throws<DomainRuleException>(() => flag.Clear("", null, Now));
        flag.Clear("Floor standards met", null, Now);
        Assert.False(flag.IsActive);
        Assert.Throws<DomainRuleException>(() => flag.Clear("again", null, Now));
    }

    [Fact]
    public void The_period_follows_the_buyer_unless_the_LA_says_otherwise()
    {
        var la = new LocalAuthority(La, 816, "City of York", "York", 50_00);
        Assert.Equal(PeriodBasis.FinancialYear, la.BasisFor(SchoolType.Maintained));
        Assert.Equal(PeriodBasis.AcademicYear, la.BasisFor(SchoolType.Academy));
        Assert.Equal(PeriodBasis.AcademicYear, la.BasisFor(SchoolType.FreeSchool));

        la.SetSubscriptionPolicy(PeriodBasis.FinancialYear, Payer.Split, "SCC Fund", 2_500, 45);
        Assert.Equal(PeriodBasis.FinancialYear, la.BasisFor(SchoolType.Academy));
        Assert.Throws<DomainRuleException>(() => la.SetSubscriptionPolicy(null, Payer.Fund, " ", 0, 60));
        Assert.Throws<DomainRuleException>(() => la.SetSubscriptionPolicy(null, Payer.School, null, 0, 7));
    }

    [Fact]
    public void A_package_is_editable_until_the_first_of_April_of_its_year()
    {
        var p = Package(Tier.Gold, 1, 1);
        Assert.True(p.IsFuture(new DateOnly(2026, 3, 31)));
        Assert.False(p.IsFuture(new DateOnly(2026, 4, 1)));
        Assert.Throws<DomainRuleException>(() => p.Change(p.Terms, new DateOnly(2026, 4, 1)));
    }
}
