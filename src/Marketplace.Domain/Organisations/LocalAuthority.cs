using Marketplace.Domain.Subscriptions;

namespace Marketplace.Domain.Organisations;

/// <summary>A tenant: one English local authority and its trading arm.</summary>
public class LocalAuthority
{
    private LocalAuthority() { }

    public LocalAuthority(Guid id, int code, string name, string tradingName, long creditPricePence)
    {
        if (code is < 100 or > 999) throw new ArgumentOutOfRangeException(nameof(code), "LA codes have three digits.");
        Id = id;
        Code = code;
        Name = name;
        TradingName = tradingName;
        CreditPricePence = creditPricePence;
    }

    public Guid Id { get; private set; }

    /// <summary>The DfE three-digit LA code (York is 816).</summary>
    public int Code { get; private set; }

    public string Name { get; private set; } = "";
    public string TradingName { get; private set; } = "";

    /// <summary>What one credit costs a school of this LA when bought outright.</summary>
    public long CreditPricePence { get; private set; }

    /// <summary>When set, every school's subscription follows this year instead of its own (maintained: financial, academy: academic).</summary>
    public PeriodBasis? PeriodBasisOverride { get; private set; }

    /// <summary>Who pays for a concern enrolment's gold: the school, the LA's fund, or a split.</summary>
    public Payer ConcernPayer { get; private set; } = Payer.Fund;

    public string? ConcernFundName { get; private set; } = "Schools Causing Concern Fund";

    /// <summary>The school's share under a split, in basis points.</summary>
    public int ConcernSchoolShareBasisPoints { get; private set; }

    /// <summary>How many days before a period ends the renewal proposals go out.</summary>
    public int RenewalWindowDays { get; private set; } = 60;

    /// <summary>
    /// A credit purchase above this total needs the school's approver (a buyer who may commit spend); null: no limit.
    /// </summary>
    public long? CreditPurchaseApprovalLimitPence { get; private set; }

    public const long MaxCreditPurchaseApprovalLimitPence = 10_000_000_00;

    public void SetCreditPurchaseApprovalLimit(long? limitPence)
    {
        if (limitPence is < 0 or > MaxCreditPurchaseApprovalLimitPence)
            throw new Common.DomainRuleException("la.approval-limit", "The approval limit is between £0 and £10,000,000.");
        CreditPurchaseApprovalLimitPence = limitPence;
    }

    /// <summary>Working days after delivery with no answer from the school before the booking is signed off automatically.</summary>
    public int AutoSignOffWorkingDays { get; private set; } = 10;

    public PeriodBasis BasisFor(SchoolType type) =>
        PeriodBasisOverride ?? (type == SchoolType.Maintained ? PeriodBasis.FinancialYear : PeriodBasis.AcademicYear);

    public void SetSubscriptionPolicy(PeriodBasis? basisOverride, Payer concernPayer, string? concernFundName, int concernSchoolShareBasisPoints,
        int renewalWindowDays)
    {
        if (concernPayer != Payer.School && string.IsNullOrWhiteSpace(concernFundName))
            throw new Common.DomainRuleException("la.concern-fund", "Name the fund that pays for concern enrolments.");
        if (concernPayer == Payer.Split && concernSchoolShareBasisPoints is <= 0 or >= 10_000)
            throw new Common.DomainRuleException("la.concern-split", "A split gives the school a share between 0% and 100%.");
        if (renewalWindowDays is < 14 or > 180)
            throw new Common.DomainRuleException("la.renewal-window", "The renewal window is 14 to 180 days.");
        PeriodBasisOverride = basisOverride;
        ConcernPayer = concernPayer;
        ConcernFundName = concernPayer == Payer.School ? null : concernFundName!.Trim();
        ConcernSchoolShareBasisPoints = concernPayer switch { Payer.School => 10_000, Payer.Fund => 0, _ => concernSchoolShareBasisPoints };
        RenewalWindowDays = renewalWindowDays;
    }
}
