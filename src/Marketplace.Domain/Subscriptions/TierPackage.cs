using Marketplace.Domain.Catalogue;

namespace Marketplace.Domain.Subscriptions;

/// <summary>
/// What one tier costs and includes in one LA for one package year ("2026/27"). The year covers the
/// financial year starting 1 April and the academic year starting 1 September of its first calendar
/// year, so each school's subscription period follows its own basis. LA commissioners edit packages
/// for future years only; a running subscription keeps the figures it started with.
/// </summary>
public class TierPackage
{
    private TierPackage() { }

    public TierPackage(Guid id, Guid localAuthorityId, int year, Tier tier, TierTerms terms)
    {
        Id = id;
        LocalAuthorityId = localAuthorityId;
        Year = year;
        Tier = tier;
        Apply(terms);
    }

    public Guid Id { get; private set; }
    public Guid LocalAuthorityId { get; private set; }

    /// <summary>The first calendar year of the package year: 2026 means 2026/27.</summary>
    public int Year { get; private set; }

    public Tier Tier { get; private set; }
    public long AnnualFeePence { get; private set; }
    public long PerPupilPence { get; private set; }
    public int CreditsIncluded { get; private set; }

    /// <summary>Discount on extra credits and pay-as-you-go services, in basis points (1,000 = 10%).</summary>
    public int DiscountBasisPoints { get; private set; }

    /// <summary>Adviser sessions the school shapes itself (Stockton guaranteed three).</summary>
    public int AdviserSessions { get; private set; }

    public bool NamedLinkAdviser { get; private set; }
    public bool SystemLeaderAccess { get; private set; }
    public bool PriorityBooking { get; private set; }
    public int NoticeDays { get; private set; }

    /// <summary>Longest term a school may sign for with the price frozen (1, 2 or 3 years).</summary>
    public int MaxTermYears { get; private set; }

    public int PurchasedCreditValidityMonths { get; private set; }

    public uint RowVersion { get; private set; }

    public TierTerms Terms => new(AnnualFeePence, PerPupilPence, CreditsIncluded, DiscountBasisPoints, AdviserSessions,
        NamedLinkAdviser, SystemLeaderAccess, PriorityBooking, NoticeDays, MaxTermYears, PurchasedCreditValidityMonths);

    /// <summary>The year's fee for a school of this size (<see cref="PupilNumberFee"/>).</summary>
    public long FeeFor(int pupilsOnRoll) => PupilNumberFee.For(AnnualFeePence, PerPupilPence, pupilsOnRoll);

    /// <summary>A package year is named by the calendar year its periods start in: April or September 2026 → 2026/27.</summary>
    public static int YearOf(Period period) => period.Start.Year;

    /// <summary>
    /// What one allowance credit is worth to the LA: the credit price less this tier's discount, the
    /// same figure a school of this tier pays for a purchased credit.
    /// </summary>
    public long CostBasisPencePerCredit(long creditPricePence) => Common.TierDiscount.Apply(creditPricePence, DiscountBasisPoints);

    public void Change(TierTerms terms, DateOnly today)
    {
        if (!IsFuture(today))
            throw new Common.DomainRuleException("package.not-future",
                $"The {Year}/{(Year + 1) % 100:00} package has started; only packages for future years can be changed.");
        Apply(terms);
    }

    /// <summary>A package may be edited until the earlier of its two possible start dates.</summary>
    public bool IsFuture(DateOnly today) => today < new DateOnly(Year, 4, 1);

    private void Apply(TierTerms t)
    {
        TierTerms.Validate(t);
        AnnualFeePence = t.AnnualFeePence;
        PerPupilPence = t.PerPupilPence;
        CreditsIncluded = t.CreditsIncluded;
        DiscountBasisPoints = t.DiscountBasisPoints;
        AdviserSessions = t.AdviserSessions;
        NamedLinkAdviser = t.NamedLinkAdviser;
        SystemLeaderAccess = t.SystemLeaderAccess;
        PriorityBooking = t.PriorityBooking;
        NoticeDays = t.NoticeDays;
        MaxTermYears = t.MaxTermYears;
        PurchasedCreditValidityMonths = t.PurchasedCreditValidityMonths;
    }
}

public sealed record TierTerms(
    long AnnualFeePence,
    long PerPupilPence,
    int CreditsIncluded,
    int DiscountBasisPoints,
    int AdviserSessions,
    bool NamedLinkAdviser,
    bool SystemLeaderAccess,
    bool PriorityBooking,
    int NoticeDays,
    int MaxTermYears,
    int PurchasedCreditValidityMonths)
{
    public static void Validate(TierTerms t)
    {
        if (t.AnnualFeePence is < 0 or > 1_000_000_00) throw new ArgumentOutOfRangeException(nameof(t), "Annual fee out of range.");
        if (t.PerPupilPence is < 0 or > 1_000_00) throw new ArgumentOutOfRangeException(nameof(t), "Per-pupil rate out of range.");
        if (t.CreditsIncluded is < 0 or > 100_000) throw new ArgumentOutOfRangeException(nameof(t), "Credits out of range.");
        if (t.DiscountBasisPoints is < 0 or > 10_000) throw new ArgumentOutOfRangeException(nameof(t), "Discount out of range.");
        if (t.AdviserSessions is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(t), "Adviser sessions out of range.");
        if (t.NoticeDays is < 0 or > 366) throw new ArgumentOutOfRangeException(nameof(t), "Notice out of range.");
        if (t.MaxTermYears is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(t), "Terms are one to three years.");
        if (t.PurchasedCreditValidityMonths is < 12 or > 60) throw new ArgumentOutOfRangeException(nameof(t), "Purchased credits last 12 to 60 months.");
    }
}
