using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;

namespace Marketplace.Domain.Subscriptions;

public enum SubscriptionStatus
{
    Active,
    Cancelled,
    Ended,
}

/// <summary>Who pays the fee: the school, a named fund (e.g. Schools Causing Concern Fund) or a split.</summary>
public enum Payer
{
    School,
    Fund,
    Split,
}

public enum SubscriptionChangeKind
{
    Started,
    Upgraded,
    DowngradeScheduled,
    CancellationGiven,
    Renewed,
    Ended,
    RenewalTierSet,
}

/// <summary>Why a subscription exists.</summary>
public enum SubscriptionOrigin
{
    SchoolChoice,
    Renewal,
    ConcernEnrolment,
}

/// <summary>
/// A school's subscription to one LA's tier for one period. The fee and allowance are frozen at the
/// start (or for the whole term of a multi-year deal). Upgrades take effect at once with the fee and
/// allowance difference prorated by days remaining (see <see cref="Proration"/>); downgrades wait for
/// the next period; cancellation follows the package's notice.
/// </summary>
public class Subscription
{
    private readonly List<SubscriptionChange> _changes = [];

    private Subscription() { }

    public Subscription(Guid id, Guid schoolId, Guid localAuthorityId, TierPackage package, PeriodBasis basis, Period period,
        int pupilsOnRoll, Payer payer, string? fundName, int schoolShareBasisPoints, int termYears, Guid? byUserId, DateTimeOffset now,
        DateOnly? startsOn = null, SubscriptionOrigin origin = SubscriptionOrigin.SchoolChoice, Guid? previousSubscriptionId = null,
        DateOnly? termEndsOn = null, long? frozenFeePence = null)
    {
        if (package.LocalAuthorityId != localAuthorityId) throw new ArgumentException("The package belongs to another LA.", nameof(package));
        if (termYears < 1 || termYears > package.MaxTermYears)
            throw new DomainRuleException("subscription.term", $"This package can be taken for 1 to {package.MaxTermYears} years.");
        ValidatePayer(payer, fundName, schoolShareBasisPoints);
        Id = id;
        SchoolId = schoolId;
        LocalAuthorityId = localAuthorityId;
        Tier = package.Tier;
        PackageId = package.Id;
        Basis = basis;
        PeriodStart = period.Start;
        PeriodEnd = period.End;
        var starts = startsOn ?? period.Start;
        if (!period.Contains(starts)) throw new DomainRuleException("subscription.start", "A subscription starts within its period.");
        StartsOn = starts;
        TermEndsOn = termEndsOn ?? period.Next(termYears - 1).End;
        // A renewal inside a multi-year term keeps the price frozen at the term's first year.
        FeePence = frozenFeePence ?? package.FeeFor(pupilsOnRoll);
        CreditsIncluded = package.CreditsIncluded;
        NoticeDays = package.NoticeDays;
        Payer = payer;
        FundName = fundName;
        SchoolShareBasisPoints = payer switch { Payer.School => 10_000, Payer.Fund => 0, _ => schoolShareBasisPoints };
        Status = SubscriptionStatus.Active;
        Origin = origin;
        PreviousSubscriptionId = previousSubscriptionId;
        CreatedAt = now;
        // Joining part-way through a period pays and receives the days remaining, like an upgrade from nothing.
        var fee = Proration.Fee(FeePence, period, starts);
        var credits = Proration.Credits(CreditsIncluded, period, starts);
        _changes.Add(new SubscriptionChange(Guid.NewGuid(), id,
            origin == SubscriptionOrigin.Renewal ? SubscriptionChangeKind.Renewed : SubscriptionChangeKind.Started, null, Tier, starts,
            fee, credits, null, byUserId, now, PayerShare.Of(fee, Payer, SchoolShareBasisPoints).SchoolPence, FundName));
    }

    public Guid Id { get; private set; }
    public Guid SchoolId { get; private set; }
    public Guid LocalAuthorityId { get; private set; }
    public Tier Tier { get; private set; }
    public Guid PackageId { get; private set; }
    public PeriodBasis Basis { get; private set; }
    public DateOnly PeriodStart { get; private set; }
    public DateOnly PeriodEnd { get; private set; }

    /// <summary>The first day covered: the period start, or later for a school joining part-way.</summary>
    public DateOnly StartsOn { get; private set; }

    public SubscriptionOrigin Origin { get; private set; }
    public Guid? PreviousSubscriptionId { get; private set; }

    /// <summary>When a multi-year term (price frozen) ends; equals PeriodEnd for one-year deals.</summary>
    public DateOnly TermEndsOn { get; private set; }

    /// <summary>The annual fee at the current tier, frozen for the term.</summary>
    public long FeePence { get; private set; }

    public int CreditsIncluded { get; private set; }
    public int NoticeDays { get; private set; }
    public Payer Payer { get; private set; }
    public string? FundName { get; private set; }

    /// <summary>The school's share of the fee in basis points (10,000 = all of it).</summary>
    public int SchoolShareBasisPoints { get; private set; }

    public SubscriptionStatus Status { get; private set; }
    public Tier? NextPeriodTier { get; private set; }
    public DateOnly? EndsOn { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public uint RowVersion { get; private set; }

    public Period Period => new(PeriodStart, PeriodEnd);
    public IReadOnlyList<SubscriptionChange> Changes => _changes;

    /// <summary>
    /// What moving to <paramref name="package"/>'s tier on <paramref name="on"/> costs: the annual fee and allowance
    /// differences prorated by days remaining, and the school's share of the fee. <see cref="Upgrade"/> applies
    /// exactly this, so a check page that shows it cannot disagree with the upgrade.
    /// </summary>
    public UpgradeQuote QuoteUpgrade(TierPackage package, int pupilsOnRoll, DateOnly on, Payer? payer = null, string? fundName = null, int schoolShareBasisPoints = 10_000)
    {
        EnsureActive(on);
        if (package.LocalAuthorityId != LocalAuthorityId) throw new ArgumentException("The package belongs to another LA.", nameof(package));
        if (package.Tier <= Tier)
            throw new DomainRuleException("subscription.not-an-upgrade", $"{DisplayNames.Of(package.Tier)} is not above the current {DisplayNames.Lower(Tier)} tier; downgrades start next period.");

        var newFee = package.FeeFor(pupilsOnRoll);
        var feeDifference = Proration.Fee(Math.Max(0, newFee - FeePence), Period, on);
        var creditDifference = Proration.Credits(Math.Max(0, package.CreditsIncluded - CreditsIncluded), Period, on);
        if (payer is { } p) ValidatePayer(p, fundName, schoolShareBasisPoints);
        var schoolShare = (payer is { } who ? PayerShare.Of(feeDifference, who, schoolShareBasisPoints) : PayerShare.Of(feeDifference, Payer, SchoolShareBasisPoints)).SchoolPence;
        return new UpgradeQuote(Tier, package.Tier, on, PeriodEnd, Proration.DaysRemaining(Period, on), FeePence, Math.Max(FeePence, newFee),
            feeDifference, schoolShare, CreditsIncluded, Math.Max(CreditsIncluded, package.CreditsIncluded), creditDifference,
            payer is null ? FundName : fundName);
    }

    /// <summary>Moves to a higher tier today; returns the change with the prorated fee and credits (see <see cref="QuoteUpgrade"/>).</summary>
    public SubscriptionChange Upgrade(TierPackage package, int pupilsOnRoll, DateOnly on, string? reason, Guid? byUserId, DateTimeOffset now,
        Payer? payer = null, string? fundName = null, int schoolShareBasisPoints = 10_000)
    {
        var quote = QuoteUpgrade(package, pupilsOnRoll, on, payer, fundName, schoolShareBasisPoints);
        var change = new SubscriptionChange(Guid.NewGuid(), Id, SubscriptionChangeKind.Upgraded, Tier, package.Tier, on,
            quote.FeeDifferencePence, quote.CreditDifference, reason, byUserId, now, quote.SchoolSharePence, quote.FundName);
        Tier = package.Tier;
        PackageId = package.Id;
        FeePence = quote.NewAnnualFeePence;
        CreditsIncluded = quote.NewCreditsIncluded;
        NextPeriodTier = null;
        _changes.Add(change);
        return change;
    }

    /// <summary>The refusals <see cref="ScheduleDowngrade"/> meets, so a check page can say so before the school confirms.</summary>
    public void EnsureCanDowngradeTo(Tier tier, DateOnly on)
    {
        EnsureActive(on);
        if (tier >= Tier) throw new DomainRuleException("subscription.not-a-downgrade", $"{DisplayNames.Of(tier)} is not below the current {DisplayNames.Lower(Tier)} tier.");
    }

    /// <summary>Asks for a lower tier from the next period; this period is already paid for.</summary>
    public SubscriptionChange ScheduleDowngrade(Tier tier, DateOnly on, Guid? byUserId, DateTimeOffset now)
    {
        EnsureCanDowngradeTo(tier, on);
        NextPeriodTier = tier;
        var change = new SubscriptionChange(Guid.NewGuid(), Id, SubscriptionChangeKind.DowngradeScheduled, Tier, tier, PeriodEnd.AddDays(1), 0, 0, null, byUserId, now, 0, null);
        _changes.Add(change);
        return change;
    }

    /// <summary>
    /// Gives notice. It takes effect at the end of the term if at least the package's notice is left
    /// before then; otherwise at the end of the following period.
    /// </summary>
    public SubscriptionChange GiveNotice(DateOnly on, string? reason, Guid? byUserId, DateTimeOffset now)
    {
        EnsureActive(on);
        if (EndsOn is not null) throw new DomainRuleException("subscription.notice-given", $"Notice has already been given; the subscription ends on {EndsOn:d MMMM yyyy}.");
        var daysLeft = TermEndsOn.DayNumber - on.DayNumber;
        EndsOn = daysLeft >= NoticeDays ? TermEndsOn : new Period(PeriodStart, TermEndsOn).Next().End;
        var change = new SubscriptionChange(Guid.NewGuid(), Id, SubscriptionChangeKind.CancellationGiven, Tier, null, EndsOn.Value, 0, 0, reason, byUserId, now, 0, null);
        _changes.Add(change);
        return change;
    }

    /// <summary>
    /// Sets the tier the next period renews at (the school's choice in its renewal, or the tier it had
    /// before a concern enrolment); null means "the current tier". Unlike a downgrade it may go up or down.
    /// </summary>
    public SubscriptionChange SetRenewalTier(Tier? tier, string reason, Guid? byUserId, DateTimeOffset now)
    {
        if (Status != SubscriptionStatus.Active) throw new DomainRuleException("subscription.not-active", "This subscription is no longer active.");
        NextPeriodTier = tier == Tier ? null : tier;
        var change = new SubscriptionChange(Guid.NewGuid(), Id, SubscriptionChangeKind.RenewalTierSet, Tier, tier ?? Tier, PeriodEnd.AddDays(1),
            0, 0, reason, byUserId, now, 0, null);
        _changes.Add(change);
        return change;
    }

    /// <summary>The school will not renew (a declined renewal, or gold lapsing after concern): it ends at this period's end.</summary>
    public SubscriptionChange EndAtPeriodEnd(string reason, Guid? byUserId, DateTimeOffset now)
    {
        if (Status != SubscriptionStatus.Active) throw new DomainRuleException("subscription.not-active", "This subscription is no longer active.");
        EndsOn = PeriodEnd;
        var change = new SubscriptionChange(Guid.NewGuid(), Id, SubscriptionChangeKind.CancellationGiven, Tier, null, PeriodEnd, 0, 0, reason, byUserId, now, 0, null);
        _changes.Add(change);
        return change;
    }

    /// <summary>Ends the subscription at its period end (after which it is renewed or lapses).</summary>
    public void End(string reason, DateTimeOffset now)
    {
        if (Status != SubscriptionStatus.Active) return;
        Status = SubscriptionStatus.Ended;
        _changes.Add(new SubscriptionChange(Guid.NewGuid(), Id, SubscriptionChangeKind.Ended, Tier, null, PeriodEnd, 0, 0, reason, null, now, 0, null));
    }

    /// <summary>
    /// Who pays from now on: later changes and the renewal are split this way; fees already charged keep
    /// the split they were charged with (each change records its own).
    /// </summary>
    public void SetPayer(Payer payer, string? fundName, int schoolShareBasisPoints)
    {
        if (Status != SubscriptionStatus.Active) throw new DomainRuleException("subscription.not-active", "This subscription is no longer active.");
        ValidatePayer(payer, fundName, schoolShareBasisPoints);
        Payer = payer;
        FundName = payer == Payer.School ? null : fundName!.Trim();
        SchoolShareBasisPoints = payer switch { Payer.School => 10_000, Payer.Fund => 0, _ => schoolShareBasisPoints };
    }

    /// <summary>The tier the next period would start at if the school does nothing.</summary>
    public Tier RenewalTier => NextPeriodTier ?? Tier;

    /// <summary>Whether notice has been given for the end of this period (so it does not renew).</summary>
    public bool EndsAtPeriodEnd => EndsOn is { } ends && ends <= PeriodEnd;

    private void EnsureActive(DateOnly on)
    {
        if (Status != SubscriptionStatus.Active)
            throw new DomainRuleException("subscription.not-active", "This subscription is no longer active.");
        if (!Period.Contains(on))
            throw new DomainRuleException("subscription.outside-period", "The change date is outside the subscription's current period.");
    }

    private static void ValidatePayer(Payer payer, string? fundName, int schoolShareBasisPoints)
    {
        if (payer != Payer.School && string.IsNullOrWhiteSpace(fundName))
            throw new DomainRuleException("subscription.fund", "Name the fund that pays.");
        if (payer == Payer.Split && schoolShareBasisPoints is <= 0 or >= 10_000)
            throw new DomainRuleException("subscription.split", "A split gives the school a share between 0% and 100%.");
    }
}

/// <summary>One change to a subscription, with its money effect: the audit trail of tiers and fees.</summary>
public class SubscriptionChange
{
    private SubscriptionChange() { }

    public SubscriptionChange(Guid id, Guid subscriptionId, SubscriptionChangeKind kind, Tier? fromTier, Tier? toTier, DateOnly effectiveOn,
        long feePence, int credits, string? reason, Guid? byUserId, DateTimeOffset at, long schoolSharePence = -1, string? fundName = null)
    {
        Id = id;
        SubscriptionId = subscriptionId;
        Kind = kind;
        FromTier = fromTier;
        ToTier = toTier;
        EffectiveOn = effectiveOn;
        FeePence = feePence;
        Credits = credits;
        Reason = reason;
        ByUserId = byUserId;
        At = at;
        SchoolSharePence = schoolSharePence < 0 ? feePence : schoolSharePence;
        FundSharePence = feePence - SchoolSharePence;
        FundName = FundSharePence == 0 ? null : fundName;
    }

    public Guid Id { get; private set; }
    public Guid SubscriptionId { get; private set; }
    public SubscriptionChangeKind Kind { get; private set; }
    public Tier? FromTier { get; private set; }
    public Tier? ToTier { get; private set; }
    public DateOnly EffectiveOn { get; private set; }

    /// <summary>The fee charged by this change (the full fee at start; the prorated difference on upgrade).</summary>
    public long FeePence { get; private set; }

    /// <summary>Allowance credits granted by this change.</summary>
    public int Credits { get; private set; }

    /// <summary>What the school pays of <see cref="FeePence"/>; the named fund pays the rest.</summary>
    public long SchoolSharePence { get; private set; }

    public long FundSharePence { get; private set; }
    public string? FundName { get; private set; }

    public string? Reason { get; private set; }
    public Guid? ByUserId { get; private set; }
    public DateTimeOffset At { get; private set; }
}

/// <summary>
/// What an upgrade costs today (see <see cref="Subscription.QuoteUpgrade"/>): the prorated fee difference, the
/// school's share of it, and the prorated extra credits granted at once.
/// </summary>
public sealed record UpgradeQuote(Tier FromTier, Tier ToTier, DateOnly On, DateOnly PeriodEnd, int DaysRemaining,
    long AnnualFeePence, long NewAnnualFeePence, long FeeDifferencePence, long SchoolSharePence,
    int CreditsIncluded, int NewCreditsIncluded, int CreditDifference, string? FundName);
