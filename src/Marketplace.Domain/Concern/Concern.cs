using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;

namespace Marketplace.Domain.Concern;

/// <summary>The York risk criteria an LA's annual risk assessment flags a school against (DOMAIN.md).</summary>
public enum RiskCriterion
{
    AttainmentBelowFloor,
    ValueAddedBelowNational,
    DisadvantagedOrSenGaps,
    InconsistentTeaching,
    LeadershipOrGovernance,
    ChangeOfContext,
    BehaviourSafetyAttendance,
    StatutoryDuties,
}

public enum OutcomeSource
{
    Manual,
    CsvImport,
}

/// <summary>One Ofsted judgement as recorded by the LA; the school keeps the latest as its current grade.</summary>
public class OfstedInspection
{
    private OfstedInspection() { }

    public OfstedInspection(Guid id, Guid schoolId, DateOnly inspectionDate, OfstedGrade grade, OutcomeSource source,
        Guid? recordedByUserId, DateTimeOffset recordedAt)
    {
        if (!Enum.IsDefined(grade)) throw new ArgumentOutOfRangeException(nameof(grade));
        Id = id;
        SchoolId = schoolId;
        InspectionDate = inspectionDate;
        Grade = grade;
        Source = source;
        RecordedByUserId = recordedByUserId;
        RecordedAt = recordedAt;
    }

    public Guid Id { get; private set; }
    public Guid SchoolId { get; private set; }
    public DateOnly InspectionDate { get; private set; }
    public OfstedGrade Grade { get; private set; }
    public OutcomeSource Source { get; private set; }
    public Guid? RecordedByUserId { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
}

/// <summary>An at-risk judgement from the LA's risk assessment, with the criteria it rests on, until cleared.</summary>
public class RiskFlag
{
    private RiskFlag() { }

    public RiskFlag(Guid id, Guid schoolId, IReadOnlyCollection<RiskCriterion> reasons, string? note, Guid? raisedByUserId, DateTimeOffset raisedAt)
    {
        if (reasons.Count == 0) throw new DomainRuleException("risk.reasons", "Choose at least one risk criterion.");
        Id = id;
        SchoolId = schoolId;
        Reasons = reasons.Distinct().Order().ToList();
        Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        RaisedByUserId = raisedByUserId;
        RaisedAt = raisedAt;
    }

    public Guid Id { get; private set; }
    public Guid SchoolId { get; private set; }
    public List<RiskCriterion> Reasons { get; private set; } = [];
    public string? Note { get; private set; }
    public Guid? RaisedByUserId { get; private set; }
    public DateTimeOffset RaisedAt { get; private set; }
    public Guid? ClearedByUserId { get; private set; }
    public DateTimeOffset? ClearedAt { get; private set; }
    public string? ClearReason { get; private set; }
    public bool IsActive => ClearedAt is null;

    public void Clear(string reason, Guid? byUserId, DateTimeOffset now)
    {
        if (!IsActive) throw new DomainRuleException("risk.cleared", "This flag was already cleared.");
        if (string.IsNullOrWhiteSpace(reason)) throw new DomainRuleException("risk.clear-reason", "Say why the school is no longer at risk.");
        ClearedByUserId = byUserId;
        ClearedAt = now;
        ClearReason = reason.Trim();
    }
}

/// <summary>What <see cref="ConcernEnrolment.NextStep"/> decides for a school.</summary>
public enum ConcernStep
{
    None,
    Enrol,
    Resume,
    Exit,
}

public enum EnrolmentStatus
{
    /// <summary>At gold because the school causes concern.</summary>
    Active,

    /// <summary>No longer causing concern: gold runs to the period end, then the previous tier.</summary>
    Exiting,

    /// <summary>The period ended after exit; the enrolment is history.</summary>
    Ended,

    /// <summary>LA staff decided, with a reason, that this school is not (or no longer) auto-enrolled.</summary>
    Overridden,
}

/// <summary>
/// A school's automatic gold enrolment because it causes concern (Ofsted 3 or 4, or at risk), with the
/// tier it had before so it can return to it, and how the extra cost is paid (the LA's policy).
/// </summary>
public class ConcernEnrolment
{
    private ConcernEnrolment() { }

    public ConcernEnrolment(Guid id, Guid schoolId, Guid localAuthorityId, Guid? subscriptionId, Tier? previousTier, string trigger,
        Payer payer, string? fundName, int schoolShareBasisPoints, long feePence, int creditsGranted, DateTimeOffset now)
    {
        Id = id;
        SchoolId = schoolId;
        LocalAuthorityId = localAuthorityId;
        SubscriptionId = subscriptionId;
        PreviousTier = previousTier;
        Trigger = trigger;
        Payer = payer;
        FundName = fundName;
        SchoolShareBasisPoints = schoolShareBasisPoints;
        FeePence = feePence;
        CreditsGranted = creditsGranted;
        Status = EnrolmentStatus.Active;
        StartedAt = now;
    }

    /// <summary>An override recorded before any enrolment: the school is not auto-enrolled while it stands.</summary>
    public static ConcernEnrolment OverriddenBeforeEnrolment(Guid id, Guid schoolId, Guid localAuthorityId, string trigger, string reason, DateTimeOffset now)
    {
        var e = new ConcernEnrolment(id, schoolId, localAuthorityId, null, null, trigger, Payer.School, null, 10_000, 0, 0, now);
        e.Override(reason, now);
        return e;
    }

    public Guid Id { get; private set; }
    public Guid SchoolId { get; private set; }
    public Guid LocalAuthorityId { get; private set; }
    public Guid? SubscriptionId { get; private set; }

    /// <summary>The tier before enrolment; null when the school had no subscription (gold then lapses at period end).</summary>
    public Tier? PreviousTier { get; private set; }

    /// <summary>What made the school a cause for concern, e.g. "Ofsted grade 3 (inspected 12 March 2026)".</summary>
    public string Trigger { get; private set; } = "";

    public Payer Payer { get; private set; }
    public string? FundName { get; private set; }
    public int SchoolShareBasisPoints { get; private set; }

    /// <summary>The fee charged for the enrolment (prorated upgrade difference or new subscription).</summary>
    public long FeePence { get; private set; }

    public int CreditsGranted { get; private set; }
    public EnrolmentStatus Status { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? ExitedAt { get; private set; }
    public string? OverrideReason { get; private set; }
    public DateTimeOffset? OverriddenAt { get; private set; }
    public uint RowVersion { get; private set; }

    /// <summary>A school causes concern while its latest Ofsted grade is 3 or 4, or while an at-risk flag is open.</summary>
    public static bool CausesConcern(OfstedGrade? latestGrade, bool atRisk) =>
        latestGrade is OfstedGrade.RequiresImprovement or OfstedGrade.Inadequate || atRisk;

    /// <summary>
    /// What the rule does with a school as it now stands, given the enrolment or override in force (if
    /// any): enrol it, carry an ending enrolment on, start the exit, or nothing (an override stands
    /// until lifted, whatever the school's state).
    /// </summary>
    public static ConcernStep NextStep(bool causesConcern, ConcernEnrolment? inForce) => (causesConcern, inForce?.Status) switch
    {
        (true, null) => ConcernStep.Enrol,
        (true, EnrolmentStatus.Exiting) => ConcernStep.Resume,
        (false, EnrolmentStatus.Active) => ConcernStep.Exit,
        _ => ConcernStep.None,
    };

    /// <summary>
    /// Gold runs to the period end; then the subscription renews at the tier the school had before, or,
    /// when it had no subscription before, ends. Returns what happens, in words for the audit and the email.
    /// </summary>
    public string ScheduleReturn(Subscription? goldSubscription, string reason, Guid? byUserId, DateTimeOffset now)
    {
        if (goldSubscription is null) return "No subscription was involved.";
        if (goldSubscription.Id != SubscriptionId) throw new ArgumentException("Not this enrolment's subscription.", nameof(goldSubscription));
        if (goldSubscription.Status != SubscriptionStatus.Active) return "The gold subscription has already ended.";
        if (PreviousTier is { } tier)
        {
            goldSubscription.SetRenewalTier(tier, reason, byUserId, now);
            return $"Gold runs to {goldSubscription.PeriodEnd:d MMMM yyyy}, then the subscription renews at {tier} unless the school chooses otherwise.";
        }
        goldSubscription.EndAtPeriodEnd(reason, byUserId, now);
        return $"Gold runs to {goldSubscription.PeriodEnd:d MMMM yyyy}, then ends, as the school had no subscription before; it may subscribe again at any tier.";
    }

    /// <summary>Whether this record stops a new automatic enrolment (an enrolment in force or an override).</summary>
    public bool Blocks => Status is EnrolmentStatus.Active or EnrolmentStatus.Exiting or EnrolmentStatus.Overridden;

    public void Exit(DateTimeOffset now)
    {
        if (Status != EnrolmentStatus.Active) throw new DomainRuleException("concern.not-enrolled", "The school is not enrolled at gold for concern.");
        Status = EnrolmentStatus.Exiting;
        ExitedAt = now;
    }

    /// <summary>A school that causes concern again before its gold period ends simply stays enrolled.</summary>
    public void Resume()
    {
        if (Status != EnrolmentStatus.Exiting) throw new DomainRuleException("concern.not-exiting", "The enrolment is not ending.");
        Status = EnrolmentStatus.Active;
        ExitedAt = null;
    }

    public void Override(string reason, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new DomainRuleException("concern.override-reason", "Give a reason for the override.");
        if (Status is EnrolmentStatus.Ended or EnrolmentStatus.Overridden)
            throw new DomainRuleException("concern.override", "There is no enrolment in force to override.");
        Status = EnrolmentStatus.Overridden;
        OverrideReason = reason.Trim();
        OverriddenAt = now;
        ExitedAt ??= now;
    }

    /// <summary>Lifting an override lets the rules decide again; the record becomes history.</summary>
    public void LiftOverride()
    {
        if (Status != EnrolmentStatus.Overridden) throw new DomainRuleException("concern.no-override", "There is no override to lift.");
        Status = EnrolmentStatus.Ended;
    }

    /// <summary>Still causing concern at period end: the enrolment carries on into the renewed gold subscription.</summary>
    public void MoveTo(Guid subscriptionId)
    {
        if (Status != EnrolmentStatus.Active) throw new DomainRuleException("concern.not-enrolled", "Only an enrolment in force moves to the next period.");
        SubscriptionId = subscriptionId;
    }

    public void Finish()
    {
        if (Status == EnrolmentStatus.Exiting) Status = EnrolmentStatus.Ended;
    }
}
