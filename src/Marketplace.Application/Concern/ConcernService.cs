using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Concern;

/// <summary>
/// Schools causing concern: an Ofsted grade 3 or 4, or an open at-risk flag. <see cref="ReconcileAsync"/>
/// brings a school's gold enrolment in line with that rule: it enrols (upgrading now, granting the
/// allowance difference, charging as the LA's policy says), carries on, or exits (gold runs to the
/// period end and then renews at the previous tier). Every step is audited and emailed through the
/// outbox, inside the caller's transaction, with the school's row locked so racing calls queue.
/// </summary>
public sealed class ConcernService(MarketplaceDbContext db, SubscriptionService subscriptions, Notifier notifier, TimeProvider clock)
{
    public static bool CausesConcern(School school, bool atRisk) =>
        school.OfstedGrade is OfstedGrade.RequiresImprovement or OfstedGrade.Inadequate || atRisk;

    /// <summary>Records one Ofsted outcome. The same school, date and grade again changes nothing.</summary>
    public async Task<OfstedInspection> RecordOfstedAsync(School school, DateOnly inspectionDate, OfstedGrade grade, OutcomeSource source,
        Actor actor, CancellationToken ct)
    {
        await subscriptions.LockSchoolAsync(school.Id, ct);
        var existing = await db.OfstedInspections.SingleOrDefaultAsync(i => i.SchoolId == school.Id && i.InspectionDate == inspectionDate, ct);
        if (existing is not null)
        {
            if (existing.Grade == grade) return existing;
            throw new DomainRuleException("ofsted.conflict",
                $"An inspection on {inspectionDate:d MMMM yyyy} is already recorded for {school.Name} with grade {(int)existing.Grade}.");
        }

        var inspection = new OfstedInspection(Guid.CreateVersion7(), school.Id, inspectionDate, grade, source, actor.UserId, clock.GetUtcNow());
        db.OfstedInspections.Add(inspection);
        school.RecordOfstedOutcome(grade, inspectionDate);
        Audit(actor, school, "ofsted.recorded", $"Ofsted grade {(int)grade} ({Describe(grade)}), inspected {inspectionDate:d MMMM yyyy}" +
            (source == OutcomeSource.CsvImport ? ", from a CSV upload" : ""), null);
        await db.SaveChangesAsync(ct);
        await ReconcileAsync(school, actor, ct);
        return inspection;
    }

    public async Task<RiskFlag> FlagAtRiskAsync(School school, IReadOnlyCollection<RiskCriterion> reasons, string? note, Actor actor, CancellationToken ct)
    {
        await subscriptions.LockSchoolAsync(school.Id, ct);
        if (await db.RiskFlags.AnyAsync(f => f.SchoolId == school.Id && f.ClearedAt == null, ct))
            throw new DomainRuleException("risk.open", $"{school.Name} is already flagged at risk. Clear that flag first to record a new assessment.");
        var flag = new RiskFlag(Guid.CreateVersion7(), school.Id, reasons, note, actor.UserId, clock.GetUtcNow());
        db.RiskFlags.Add(flag);
        Audit(actor, school, "risk.flagged", "Flagged at risk: " + string.Join(", ", flag.Reasons.Select(Describe)), flag.Note);
        await db.SaveChangesAsync(ct);
        await ReconcileAsync(school, actor, ct);
        return flag;
    }

    public async Task ClearRiskFlagAsync(School school, string reason, Actor actor, CancellationToken ct)
    {
        await subscriptions.LockSchoolAsync(school.Id, ct);
        var flag = await db.RiskFlags.SingleOrDefaultAsync(f => f.SchoolId == school.Id && f.ClearedAt == null, ct)
            ?? throw new DomainRuleException("risk.none", $"{school.Name} is not flagged at risk.");
        flag.Clear(reason, actor.UserId, clock.GetUtcNow());
        Audit(actor, school, "risk.cleared", "At-risk flag cleared", reason);
        await db.SaveChangesAsync(ct);
        await ReconcileAsync(school, actor, ct);
    }

    /// <summary>LA staff decide, with a reason, that the school is not (or no longer) auto-enrolled at gold.</summary>
    public async Task OverrideAsync(School school, string reason, Actor actor, CancellationToken ct)
    {
        await subscriptions.LockSchoolAsync(school.Id, ct);
        var now = clock.GetUtcNow();
        var enrolment = await InForceAsync(school.Id, ct);
        if (enrolment is null)
        {
            var atRisk = await db.RiskFlags.AnyAsync(f => f.SchoolId == school.Id && f.ClearedAt == null, ct);
            if (!CausesConcern(school, atRisk))
                throw new DomainRuleException("concern.none", $"{school.Name} does not cause concern, so there is nothing to override.");
            db.ConcernEnrolments.Add(ConcernEnrolment.OverriddenBeforeEnrolment(Guid.CreateVersion7(), school.Id, school.LocalAuthorityId,
                await TriggerAsync(school, ct), reason, now));
            Audit(actor, school, "concern.override", "Automatic gold enrolment overridden: the school will not be enrolled", reason);
        }
        else
        {
            var wasActive = enrolment.Status == EnrolmentStatus.Active;
            enrolment.Override(reason, now);
            if (wasActive) await ScheduleReturnAsync(enrolment, "Concern enrolment overridden", actor, ct);
            Audit(actor, school, "concern.override",
                wasActive ? "Gold enrolment overridden: gold runs to the period end, then the previous tier" : "Override recorded on an ending enrolment", reason);
        }
        await NotifyAsync(school, $"concern-override:{school.Id:N}:{now.ToUnixTimeMilliseconds()}",
            $"{school.Name}: automatic gold enrolment overridden", $"{actor.Name} overrode the automatic gold enrolment of {school.Name}.\n\nReason: {reason}", ct);
        await db.SaveChangesAsync(ct);
    }

    public async Task LiftOverrideAsync(School school, Actor actor, CancellationToken ct)
    {
        await subscriptions.LockSchoolAsync(school.Id, ct);
        var enrolment = await InForceAsync(school.Id, ct);
        if (enrolment?.Status != EnrolmentStatus.Overridden)
            throw new DomainRuleException("concern.no-override", $"There is no override in force for {school.Name}.");
        enrolment.LiftOverride();
        Audit(actor, school, "concern.override-lifted", "Override lifted: the automatic rules apply again", null);
        await db.SaveChangesAsync(ct);
        await ReconcileAsync(school, actor, ct);
    }

    /// <summary>Applies the rule to the school as it now stands. Safe to call any number of times.</summary>
    public async Task ReconcileAsync(School school, Actor actor, CancellationToken ct)
    {
        await subscriptions.LockSchoolAsync(school.Id, ct);
        var atRisk = await db.RiskFlags.AnyAsync(f => f.SchoolId == school.Id && f.ClearedAt == null, ct);
        var causes = CausesConcern(school, atRisk);
        var enrolment = await InForceAsync(school.Id, ct);

        if (causes && enrolment is null) await EnrolAsync(school, actor, ct);
        else if (causes && enrolment!.Status == EnrolmentStatus.Exiting)
        {
            enrolment.Resume();
            var subscription = enrolment.SubscriptionId is { } id ? await db.Subscriptions.Include(s => s.Changes).SingleAsync(s => s.Id == id, ct) : null;
            if (subscription is { Status: SubscriptionStatus.Active }) subscription.SetRenewalTier(Tier.Gold, "Causes concern again", actor.UserId, clock.GetUtcNow());
            Audit(actor, school, "concern.resumed", "Causes concern again before gold ended: gold continues", await TriggerAsync(school, ct));
        }
        else if (!causes && enrolment?.Status == EnrolmentStatus.Active)
        {
            enrolment.Exit(clock.GetUtcNow());
            var until = await ScheduleReturnAsync(enrolment, "No longer causes concern", actor, ct);
            Audit(actor, school, "concern.exit", until, null);
            await NotifyAsync(school, $"concern-exit:{enrolment.Id:N}", $"{school.Name} no longer causes concern", until, ct);
        }
        await db.SaveChangesAsync(ct);
    }

    private async Task EnrolAsync(School school, Actor actor, CancellationToken ct)
    {
        var la = await db.LocalAuthorities.SingleAsync(l => l.Id == school.LocalAuthorityId, ct);
        var trigger = await TriggerAsync(school, ct);
        var current = await subscriptions.CurrentAsync(school.Id, ct);
        Tier? previous = current?.Tier;
        long fee;
        int credits;
        Guid subscriptionId;
        if (current is null)
        {
            var started = await subscriptions.StartAsync(school, la, Tier.Gold, 1, la.ConcernPayer, la.ConcernFundName,
                la.ConcernSchoolShareBasisPoints, subscriptions.Today, SubscriptionOrigin.ConcernEnrolment, actor, ct);
            (fee, credits, subscriptionId) = (started.Changes[0].FeePence, started.Changes[0].Credits, started.Id);
        }
        else if (current.Tier < Tier.Gold)
        {
            var change = await subscriptions.UpgradeAsync(current, school, la, Tier.Gold, $"Causes concern: {trigger}", actor, ct,
                la.ConcernPayer, la.ConcernFundName, la.ConcernSchoolShareBasisPoints);
            (fee, credits, subscriptionId) = (change.FeePence, change.Credits, current.Id);
        }
        else
        {
            (fee, credits, subscriptionId) = (0, 0, current.Id); // already gold: enrolled so that gold is kept while concern lasts
            if (current.NextPeriodTier is not null) current.SetRenewalTier(Tier.Gold, "Causes concern", actor.UserId, clock.GetUtcNow());
        }

        var enrolment = new ConcernEnrolment(Guid.CreateVersion7(), school.Id, la.Id, subscriptionId, previous, trigger, la.ConcernPayer,
            la.ConcernFundName, la.ConcernSchoolShareBasisPoints, fee, credits, clock.GetUtcNow());
        db.ConcernEnrolments.Add(enrolment);
        var schoolShare = Subscription.Split(fee, la.ConcernPayer, la.ConcernSchoolShareBasisPoints);
        var detail = (previous is null ? "Enrolled at gold with a new subscription" : previous == Tier.Gold ? "Already at gold: kept at gold while the school causes concern" : $"Upgraded from {previous} to gold")
            + $"; {credits} allowance credits granted; fee £{fee / 100m:N2} (school pays £{schoolShare / 100m:N2}"
            + (fee - schoolShare > 0 ? $", {la.ConcernFundName} pays £{(fee - schoolShare) / 100m:N2})" : ")");
        Audit(actor, school, "concern.enrolled", detail, trigger);
        await NotifyAsync(school, $"concern-enrolled:{enrolment.Id:N}", $"{school.Name} has been enrolled at gold",
            $"""
            {school.Name} causes concern ({trigger}), so {la.TradingName} has enrolled it at gold.

            {detail}.

            Gold continues until the end of the subscription period after the school no longer causes concern.
            """, ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Gold runs to the period end; then the previous tier, or (no previous subscription) the subscription lapses.</summary>
    private async Task<string> ScheduleReturnAsync(ConcernEnrolment enrolment, string reason, Actor actor, CancellationToken ct)
    {
        if (enrolment.SubscriptionId is not { } id) return "No subscription was involved.";
        var subscription = await db.Subscriptions.Include(s => s.Changes).SingleAsync(s => s.Id == id, ct);
        if (subscription.Status != SubscriptionStatus.Active) return "The gold subscription has already ended.";
        var now = clock.GetUtcNow();
        if (enrolment.PreviousTier is { } tier)
        {
            subscription.SetRenewalTier(tier, reason, actor.UserId, now);
            return $"Gold runs to {subscription.PeriodEnd:d MMMM yyyy}, then the subscription renews at {tier} unless the school chooses otherwise.";
        }
        subscription.EndAtPeriodEnd(reason, actor.UserId, now);
        return $"Gold runs to {subscription.PeriodEnd:d MMMM yyyy}, then ends, as the school had no subscription before; it may subscribe again at any tier.";
    }

    private Task<ConcernEnrolment?> InForceAsync(Guid schoolId, CancellationToken ct) =>
        db.ConcernEnrolments.SingleOrDefaultAsync(e => e.SchoolId == schoolId
            && (e.Status == EnrolmentStatus.Active || e.Status == EnrolmentStatus.Exiting || e.Status == EnrolmentStatus.Overridden), ct);

    private async Task<string> TriggerAsync(School school, CancellationToken ct)
    {
        var parts = new List<string>();
        if (school.OfstedGrade is OfstedGrade.RequiresImprovement or OfstedGrade.Inadequate)
            parts.Add($"Ofsted grade {(int)school.OfstedGrade} ({Describe(school.OfstedGrade.Value)}), inspected {school.OfstedInspectionDate:d MMMM yyyy}");
        var flag = await db.RiskFlags.AsNoTracking().Where(f => f.SchoolId == school.Id && f.ClearedAt == null).Select(f => f.Reasons).SingleOrDefaultAsync(ct);
        if (flag is not null) parts.Add("at risk: " + string.Join(", ", flag.Select(Describe)));
        return parts.Count == 0 ? "no longer causes concern" : string.Join("; ", parts);
    }

    private async Task NotifyAsync(School school, string key, string subject, string body, CancellationToken ct)
    {
        await notifier.ToSchoolAsync(school.Id, key, subject, body, ct);
        await notifier.ToCommissionersAsync(school.LocalAuthorityId, key, subject, body, ct);
    }

    private void Audit(Actor actor, School school, string action, string detail, string? reason) =>
        db.AuditEvents.Add(new AuditEvent(Guid.CreateVersion7(), clock.GetUtcNow(), actor.UserId, actor.Name, school.LocalAuthorityId, school.Id,
            action, detail, reason));

    public static string Describe(OfstedGrade grade) => grade switch
    {
        OfstedGrade.Outstanding => "outstanding",
        OfstedGrade.Good => "good",
        OfstedGrade.RequiresImprovement => "requires improvement",
        _ => "inadequate",
    };

    public static string Describe(RiskCriterion c) => c switch
    {
        RiskCriterion.AttainmentBelowFloor => "attainment below floor standards",
        RiskCriterion.ValueAddedBelowNational => "value added significantly below national",
        RiskCriterion.DisadvantagedOrSenGaps => "wide gaps for disadvantaged or SEN pupils",
        RiskCriterion.InconsistentTeaching => "inconsistent teaching",
        RiskCriterion.LeadershipOrGovernance => "leadership or governance concerns",
        RiskCriterion.ChangeOfContext => "significant change of context",
        RiskCriterion.BehaviourSafetyAttendance => "behaviour, safety or attendance",
        _ => "statutory duties",
    };
}
