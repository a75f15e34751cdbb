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
        Assert.Equal(1_820_00, started.FeePence); // 365,000p x 182 / 365 = 182,000p exactly
        Assert.Equal(36, started.Credits); // 73 * 182 / 365 = 36.4, rounded down
        Assert.Equal(3_650_00, s.FeePence); // the annual fee is still the annual fee
        Assert.Throws<DomainRuleException>(() => new Subscription(Guid.NewGuid(), Guid.NewGuid(), La, Package(Tier.Gold, 1, 1), PeriodBasis.FinancialYear,
            Fy2026, 0, Payer.School, null, 0, 1, null, Now, startsOn: new DateOnly(2027, 4, 1)));
    }

    // An upgrade on the first day of the 365-day financial year charges the whole annual difference
    // (365 of 365 days): from a free bronze to a £10.01 gold, 1,001p. Each payer's share of it, by hand:
    [Theory]
    [InlineData(Payer.School, 0, 1_001, 0)]      // the school pays all of it
    [InlineData(Payer.Fund, 0, 0, 1_001)]        // the fund pays all of it
    [InlineData(Payer.Split, 5_000, 501, 500)]   // half is 500.5p: the school's share rounds half up to 501p, the fund pays the other 500p
    [InlineData(Payer.Split, 3_333, 334, 667)]   // 33.33% of 1,001p is 333.6333p: 334p for the school, 667p for the fund
    public void An_upgrade_splits_its_fee_between_school_and_fund_to_the_penny(Payer payer, int schoolShare, long school, long fund)
    {
        var s = new Subscription(Guid.NewGuid(), Guid.NewGuid(), La, Package(Tier.Bronze, 0, 0), PeriodBasis.FinancialYear, Fy2026,
            0, Payer.School, null, 0, 1, null, Now);
        var change = s.Upgrade(Package(Tier.Gold, 1_001, 0), 0, Fy2026.Start, "concern", null, Now, payer, payer == Payer.School ? null : "SCC Fund", schoolShare);

        Assert.Equal(1_001, change.FeePence);
        Assert.Equal(school, change.SchoolSharePence);
        Assert.Equal(fund, change.FundSharePence);
        Assert.Equal(payer == Payer.School ? null : "SCC Fund", change.FundName);
    }

    // Joining the same year on 1 October under a 25% split: the prorated fee is 182,000p (as above),
    // of which the school pays a quarter, 45,500p exactly, and the fund 136,500p.
    [Fact]
    public void A_subscription_started_by_a_fund_records_each_share_of_its_first_fee()
    {
        var s = new Subscription(Guid.NewGuid(), Guid.NewGuid(), La, Package(Tier.Gold, 3_650_00, 73), PeriodBasis.FinancialYear, Fy2026,
            0, Payer.Split, "SCC Fund", 2_500, 1, null, Now, startsOn: new DateOnly(2026, 10, 1), origin: SubscriptionOrigin.ConcernEnrolment);

        var started = s.Changes.Single();
        Assert.Equal((1_820_00L, 455_00L, 1_365_00L), (started.FeePence, started.SchoolSharePence, started.FundSharePence));
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

    // The usage rule: 120% or more of the allowance used proposes one tier up, under 50% one tier down.
    [Theory]
    [InlineData(Tier.Silver, 30, 25, Tier.Gold)]     // 30 of 25 is 120% exactly (30 x 10 = 300 = 25 x 12): up
    [InlineData(Tier.Silver, 29, 25, Tier.Silver)]   // 29 of 25 is 116%: the same tier
    [InlineData(Tier.Silver, 13, 25, Tier.Silver)]   // 13 of 25 is 52%: the same tier
    [InlineData(Tier.Silver, 12, 25, Tier.Bronze)]   // 12 of 25 is 48%: down
    [InlineData(Tier.Gold, 90, 45, Tier.Gold)]       // nothing above gold
    [InlineData(Tier.Bronze, 0, 10, Tier.Bronze)]    // nothing below bronze
    [InlineData(Tier.Silver, 7, 0, Tier.Silver)]     // no allowance, no usage rule
    public void A_renewal_proposes_a_tier_from_the_credits_used(Tier current, int used, int allowance, Tier proposed)
    {
        Assert.Equal(proposed, RenewalProposal.Recommend(false, current, false, used, allowance).Tier);
    }

    [Fact]
    public void A_renewal_proposes_gold_while_the_school_causes_concern_and_otherwise_the_tier_it_asked_for()
    {
        var concern = RenewalProposal.Recommend(true, Tier.Bronze, true, 0, 10);
        Assert.Equal(Tier.Gold, concern.Tier);
        Assert.Equal("The school is enrolled at gold while it causes concern; gold continues next year.", concern.Rationale);

        var asked = RenewalProposal.Recommend(false, Tier.Bronze, true, 40, 25); // 160% used, but the school chose bronze
        Assert.Equal(Tier.Bronze, asked.Tier);
        Assert.Equal("The school asked for bronze from next year.", asked.Rationale);

        Assert.Equal("The school used 30 credits against an allowance of 25; Gold includes more credits and a larger discount.",
            RenewalProposal.Recommend(false, Tier.Silver, false, 30, 25).Rationale);
        Assert.Equal("The school used 12 of its 25 allowance credits; Bronze would cover that for less.",
            RenewalProposal.Recommend(false, Tier.Silver, false, 12, 25).Rationale);
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

    [Theory]
    [InlineData(OfstedGrade.Outstanding, false, false)]
    [InlineData(OfstedGrade.Good, false, false)]
    [InlineData(OfstedGrade.RequiresImprovement, false, true)]
    [InlineData(OfstedGrade.Inadequate, false, true)]
    [InlineData(OfstedGrade.Good, true, true)]
    [InlineData(null, false, false)]
    [InlineData(null, true, true)]
    public void A_school_causes_concern_at_Ofsted_3_or_4_or_while_at_risk(OfstedGrade? grade, bool atRisk, bool causes)
    {
        Assert.Equal(causes, ConcernEnrolment.CausesConcern(grade, atRisk));
    }

    [Fact]
    public void The_concern_rule_enrols_resumes_exits_and_leaves_an_override_alone()
    {
        ConcernEnrolment InState(EnrolmentStatus status)
        {
            var e = new ConcernEnrolment(Guid.NewGuid(), Guid.NewGuid(), La, Guid.NewGuid(), Tier.Silver, "Ofsted 3", Payer.Fund, "SCC Fund", 0, 100, 5, Now);
            if (status is EnrolmentStatus.Exiting) e.Exit(Now);
            if (status is EnrolmentStatus.Overridden) e.Override("Trust support", Now);
            return e;
        }

        Assert.Equal(ConcernStep.Enrol, ConcernEnrolment.NextStep(true, null));
        Assert.Equal(ConcernStep.None, ConcernEnrolment.NextStep(true, InState(EnrolmentStatus.Active)));
        Assert.Equal(ConcernStep.Resume, ConcernEnrolment.NextStep(true, InState(EnrolmentStatus.Exiting)));
        Assert.Equal(ConcernStep.None, ConcernEnrolment.NextStep(true, InState(EnrolmentStatus.Overridden)));
        Assert.Equal(ConcernStep.None, ConcernEnrolment.NextStep(false, null));
        Assert.Equal(ConcernStep.Exit, ConcernEnrolment.NextStep(false, InState(EnrolmentStatus.Active)));
        Assert.Equal(ConcernStep.None, ConcernEnrolment.NextStep(false, InState(EnrolmentStatus.Exiting)));
        Assert.Equal(ConcernStep.None, ConcernEnrolment.NextStep(false, InState(EnrolmentStatus.Overridden)));
    }

    [Fact]
    public void Leaving_concern_renews_at_the_previous_tier_or_ends_when_there_was_none()
    {
        var gold = new Subscription(Guid.NewGuid(), Guid.NewGuid(), La, Package(Tier.Gold, 0, 0), PeriodBasis.FinancialYear, Fy2026,
            0, Payer.School, null, 0, 1, null, Now);
        var fromSilver = new ConcernEnrolment(Guid.NewGuid(), gold.SchoolId, La, gold.Id, Tier.Silver, "Ofsted 3", Payer.Fund, "SCC Fund", 0, 100, 5, Now);

        Assert.Equal("Gold runs to 31 March 2027, then the subscription renews at Silver unless the school chooses otherwise.",
            fromSilver.ScheduleReturn(gold, "No longer causes concern", null, Now));
        Assert.Equal(Tier.Silver, gold.RenewalTier);
        Assert.False(gold.EndsAtPeriodEnd);

        var fromNothing = new ConcernEnrolment(Guid.NewGuid(), gold.SchoolId, La, gold.Id, null, "Ofsted 4", Payer.Fund, "SCC Fund", 0, 100, 5, Now);
        Assert.Equal("Gold runs to 31 March 2027, then ends, as the school had no subscription before; it may subscribe again at any tier.",
            fromNothing.ScheduleReturn(gold, "No longer causes concern", null, Now));
        Assert.True(gold.EndsAtPeriodEnd);
        Assert.Equal("No subscription was involved.", fromNothing.ScheduleReturn(null, "x", null, Now));
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
