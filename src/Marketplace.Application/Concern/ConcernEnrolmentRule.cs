using Marketplace.Application.Common;
using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Concern;

/// <summary>
/// Schools causing concern (an Ofsted grade 3 or 4, or an open at-risk flag) are enrolled at gold.
/// <see cref="ApplyAsync"/> brings a school's enrolment in line with <see cref="ConcernEnrolment.NextStep"/>
/// after anything that may change it (an Ofsted outcome, a flag raised or cleared, an override lifted):
/// it enrols (upgrading now, granting the allowance difference, charging as the LA's policy says),
/// carries an ending enrolment on, or starts the exit (gold runs to the period end, then the previous
/// tier). Every step is audited and emailed through the outbox in the caller's unit of work and
/// transaction, with the school's row locked so racing calls queue; the caller saves afterwards (and
/// before, so the rule reads what the caller changed). Safe to call any number of times.
/// </summary>
public sealed class ConcernEnrolmentRule(MarketplaceDbContext db, NewSubscription newSubscription, CreditLedger ledger, Notifier notifier,
    TimeProvider clock)
{
    public async Task ApplyAsync(School school, Actor actor, CancellationToken ct)
    {
        await db.LockSchoolAsync(school.Id, ct);
        var causes = ConcernEnrolment.CausesConcern(school.OfstedGrade, await db.IsAtRiskAsync(school.Id, ct));
        var enrolment = await db.EnrolmentInForceAsync(school.Id, ct);
        switch (ConcernEnrolment.NextStep(causes, enrolment))
        {
            case ConcernStep.Enrol:
                await EnrolAsync(school, actor, ct);
                break;
            case ConcernStep.Resume:
                enrolment!.Resume();
                var subscription = await GoldSubscriptionAsync(enrolment, ct);
                if (subscription is { Status: SubscriptionStatus.Active }) subscription.SetRenewalTier(Tier.Gold, "Causes concern again", actor.UserId, clock.GetUtcNow());
                db.AuditSchool(clock, actor, school, "concern.resumed", "Causes concern again before gold ended: gold continues", await db.ConcernTriggerAsync(school, ct));
                break;
            case ConcernStep.Exit:
                enrolment!.Exit(clock.GetUtcNow());
                var until = enrolment.ScheduleReturn(await GoldSubscriptionAsync(enrolment, ct), "No longer causes concern", actor.UserId, clock.GetUtcNow());
                db.AuditSchool(clock, actor, school, "concern.exit", until, null);
                await notifier.ToSchoolAndLaAsync(school, $"concern-exit:{enrolment.Id:N}", $"{school.Name} no longer causes concern", until, ct);
                break;
        }
    }

    /// <summary>The subscription an enrolment put at gold, tracked, or null when none was involved.</summary>
    public async Task<Subscription?> GoldSubscriptionAsync(ConcernEnrolment enrolment, CancellationToken ct) =>
        enrolment.SubscriptionId is { } id ? await db.Subscriptions.Include(s => s.Changes).SingleAsync(s => s.Id == id, ct) : null;

    private async Task EnrolAsync(School school, Actor actor, CancellationToken ct)
    {
        var la = await db.LocalAuthorities.SingleAsync(l => l.Id == school.LocalAuthorityId, ct);
        var trigger = await db.ConcernTriggerAsync(school, ct);
        var today = clock.Today();
        var current = await db.CurrentSubscriptionAsync(school.Id, today, ct);
        Tier? previous = current?.Tier;
        long fee;
        int credits;
        Guid subscriptionId;
        if (current is null)
        {
            var started = await newSubscription.StartAsync(school, la, new NewSubscription.Terms(Tier.Gold, 1, la.ConcernPayer, la.ConcernFundName,
                la.ConcernSchoolShareBasisPoints, today, SubscriptionOrigin.ConcernEnrolment), actor, ct);
            (fee, credits, subscriptionId) = (started.Changes[0].FeePence, started.Changes[0].Credits, started.Id);
        }
        else if (current.Tier < Tier.Gold)
        {
            var package = await db.TierPackageAsync(la.Id, TierPackage.YearOf(current.Period), Tier.Gold, ct);
            var change = current.Upgrade(package, school.PupilsOnRoll, today, $"Causes concern: {trigger}", actor.UserId, clock.GetUtcNow(),
                la.ConcernPayer, la.ConcernFundName, la.ConcernSchoolShareBasisPoints);
            await ledger.GrantAllowanceAsync(current, change, package.CostBasisPencePerCredit(la.CreditPricePence), ct);
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
        var share = PayerShare.Of(fee, la.ConcernPayer, la.ConcernSchoolShareBasisPoints);
        var detail = (previous is null ? "Enrolled at gold with a new subscription" : previous == Tier.Gold ? "Already at gold: kept at gold while the school causes concern" : $"Upgraded from {previous} to gold")
            + $"; {credits} allowance credits granted; fee £{fee / 100m:N2} (school pays £{share.SchoolPence / 100m:N2}"
            + (share.FundPence > 0 ? $", {la.ConcernFundName} pays £{share.FundPence / 100m:N2})" : ")");
        db.AuditSchool(clock, actor, school, "concern.enrolled", detail, trigger);
        await notifier.ToSchoolAndLaAsync(school, $"concern-enrolled:{enrolment.Id:N}", $"{school.Name} has been enrolled at gold",
            $"""
            {school.Name} causes concern ({trigger}), so {la.TradingName} has enrolled it at gold.

            {detail}.

            Gold continues until the end of the subscription period after the school no longer causes concern.
            """, ct);
    }
}
