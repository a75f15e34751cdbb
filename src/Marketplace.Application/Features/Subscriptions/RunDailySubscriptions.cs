using System.Data;
using Marketplace.Application.Common;
using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>
/// The daily subscriptions run (sent by the Hangfire job "subscriptions-daily"): end periods that have
/// passed and start their renewals, grant allowances that have come due, expire unused credits, and
/// send renewal proposals whose window has opened. Every step is idempotent (ledger keys, one proposal
/// per subscription, status checks under the school's row lock), so a retry or a manual rerun changes
/// nothing twice. Each subscription is handled in a transaction of its own, so one failure does not
/// undo the others.
/// </summary>
public static class RunDailySubscriptions
{
    public sealed record Command : ICommand<Result>;

    public sealed record Result(int PeriodsEnded, int AllowancesGranted, int GrantsExpired, int ProposalsSent);

    public sealed class Handler(MarketplaceDbContext db, CreditLedger ledger, NewSubscription newSubscription, Notifier notifier, TimeProvider clock,
        ILogger<Handler> logger) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var result = new Result(await RollOverAsync(ct), await GrantDueAllowancesAsync(ct), await ExpireGrantsAsync(ct), await OpenRenewalsAsync(ct));
            logger.LogInformation("Subscriptions daily run: {Rolled} periods ended, {Granted} allowances granted, {Expired} grants expired, {Proposals} renewal proposals sent",
                result.PeriodsEnded, result.AllowancesGranted, result.GrantsExpired, result.ProposalsSent);
            return result;
        }

        private async Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken ct)
        {
            await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            var result = await work();
            await tx.CommitAsync(ct);
            return result;
        }

        /// <summary>Ends subscriptions whose period has passed and starts the next period for those that renew.</summary>
        private async Task<int> RollOverAsync(CancellationToken ct)
        {
            var today = clock.Today();
            var ids = await db.Subscriptions.Where(s => s.Status == SubscriptionStatus.Active && s.PeriodEnd < today).Select(s => s.Id).ToListAsync(ct);
            foreach (var id in ids) await InTransactionAsync(() => RollOverOneAsync(id, ct), ct);
            return ids.Count;
        }

        private async Task<bool> RollOverOneAsync(Guid subscriptionId, CancellationToken ct)
        {
            var schoolId = await db.Subscriptions.Where(s => s.Id == subscriptionId).Select(s => s.SchoolId).SingleAsync(ct);
            await db.LockSchoolAsync(schoolId, ct);
            var subscription = await db.Subscriptions.Include(s => s.Changes).SingleAsync(s => s.Id == subscriptionId, ct);
            if (subscription.Status != SubscriptionStatus.Active) return false; // another run got here first
            var school = await db.Schools.SingleAsync(s => s.Id == schoolId, ct);
            var la = await db.LocalAuthorities.SingleAsync(l => l.Id == subscription.LocalAuthorityId, ct);
            var proposal = await db.RenewalProposals.SingleOrDefaultAsync(p => p.SubscriptionId == subscriptionId, ct);
            var enrolment = await db.ConcernEnrolments.SingleOrDefaultAsync(e => e.SubscriptionId == subscriptionId
                && (e.Status == EnrolmentStatus.Active || e.Status == EnrolmentStatus.Exiting), ct);
            var now = clock.GetUtcNow();

            var renews = !subscription.EndsAtPeriodEnd && proposal?.Status != RenewalStatus.Declined;
            var concern = enrolment?.Status == EnrolmentStatus.Active;
            var tier = concern ? Tier.Gold : subscription.RenewalTier;
            if (proposal?.Status == RenewalStatus.Open) proposal.RenewByDefault(tier, now);
            subscription.End(renews ? "Period ended; renewed" : "Period ended; not renewed", now);
            enrolment?.Finish();
            await db.SaveChangesAsync(ct);
            if (!renews) return true;

            // Still causing concern: gold again, paid as the LA's policy says. Gold that came from a concern
            // enrolment that has ended goes back to the school paying; otherwise the payer carries on.
            var inTerm = subscription.TermEndsOn > subscription.PeriodEnd;
            var (payer, fund, share) = concern
                ? (la.ConcernPayer, la.ConcernFundName, la.ConcernSchoolShareBasisPoints)
                : subscription.Origin == SubscriptionOrigin.ConcernEnrolment
                    ? (Payer.School, (string?)null, 10_000)
                    : (subscription.Payer, subscription.FundName, subscription.SchoolShareBasisPoints);
            try
            {
                var next = await newSubscription.StartAsync(school, la, new NewSubscription.Terms(tier, 1, payer, fund, share, subscription.PeriodEnd.AddDays(1),
                    concern ? SubscriptionOrigin.ConcernEnrolment : SubscriptionOrigin.Renewal, subscription.Id,
                    inTerm ? subscription.TermEndsOn : null, inTerm && tier == subscription.Tier ? subscription.FeePence : null), Actor.System, ct);
                if (concern) enrolment!.MoveTo(next.Id);
                await db.SaveChangesAsync(ct);
            }
            catch (DomainRuleException e) when (e.Code == SubscriptionLookups.MissingPackage)
            {
                // The LA has not published next year's packages: the school is told, the period is not renewed.
                logger.LogWarning("Could not renew subscription {Id}: {Message}", subscriptionId, e.Message);
                await notifier.ToCommissionersAsync(la.Id, $"renewal-failed:{subscriptionId:N}", $"{school.Name}: subscription could not renew",
                    $"{school.Name}'s subscription ended on {subscription.PeriodEnd:d MMMM yyyy} and could not renew: {e.Message}", ct);
                await db.SaveChangesAsync(ct);
            }
            return true;
        }

        /// <summary>Grants the allowance of subscriptions whose start has arrived (a renewal confirmed ahead of its period).</summary>
        private async Task<int> GrantDueAllowancesAsync(CancellationToken ct)
        {
            var today = clock.Today();
            var due = await db.SubscriptionChanges.AsNoTracking()
                .Where(c => c.Credits > 0 && c.EffectiveOn <= today
                    && (c.Kind == SubscriptionChangeKind.Started || c.Kind == SubscriptionChangeKind.Renewed || c.Kind == SubscriptionChangeKind.Upgraded))
                .Join(db.Subscriptions.Where(s => s.Status == SubscriptionStatus.Active && s.PeriodEnd >= today), c => c.SubscriptionId, s => s.Id,
                    (c, s) => new { SubscriptionId = s.Id, ChangeId = c.Id })
                .ToListAsync(ct);
            var keys = due.Select(x => AllowanceGrant.Key(x.SubscriptionId, x.ChangeId)).ToList();
            var granted = (await db.LedgerTransactions.AsNoTracking().Where(t => keys.Contains(t.IdempotencyKey)).Select(t => t.IdempotencyKey)
                .ToListAsync(ct)).ToHashSet();
            due = due.Where(x => !granted.Contains(AllowanceGrant.Key(x.SubscriptionId, x.ChangeId))).ToList();
            foreach (var item in due)
            {
                await InTransactionAsync(async () =>
                {
                    var subscription = await db.Subscriptions.Include(s => s.Changes).SingleAsync(s => s.Id == item.SubscriptionId, ct);
                    var la = await db.LocalAuthorities.SingleAsync(l => l.Id == subscription.LocalAuthorityId, ct);
                    var package = await db.TierPackages.SingleAsync(p => p.Id == subscription.PackageId, ct);
                    await ledger.GrantAllowanceAsync(subscription, subscription.Changes.Single(c => c.Id == item.ChangeId),
                        package.CostBasisPencePerCredit(la.CreditPricePence), ct);
                    return 0;
                }, ct);
            }
            return due.Count;
        }

        /// <summary>Expires every grant past its expiry date that still holds credits.</summary>
        private async Task<int> ExpireGrantsAsync(CancellationToken ct)
        {
            var today = clock.Today();
            var expired = await db.CreditGrants.AsNoTracking().Where(g => g.ExpiresOn < today && g.Remaining > 0).Select(g => g.Id).ToListAsync(ct);
            var credits = 0;
            foreach (var id in expired) credits += await ledger.ExpireGrantAsync(id, ct);
            if (credits > 0) logger.LogInformation("Expired {Credits} unused credits in {Grants} grants", credits, expired.Count);
            return expired.Count;
        }

        /// <summary>Sends a renewal proposal to each school whose renewal window has opened.</summary>
        private async Task<int> OpenRenewalsAsync(CancellationToken ct)
        {
            var today = clock.Today();
            var horizon = today.AddDays(180);
            var candidates = await db.Subscriptions.AsNoTracking()
                .Where(s => s.Status == SubscriptionStatus.Active && s.PeriodEnd >= today && s.PeriodEnd <= horizon && s.PeriodEnd == s.TermEndsOn
                    && s.EndsOn == null && !db.RenewalProposals.Any(p => p.SubscriptionId == s.Id))
                .Join(db.LocalAuthorities, s => s.LocalAuthorityId, l => l.Id, (s, l) => new { s.Id, s.PeriodEnd, l.RenewalWindowDays })
                .ToListAsync(ct);
            var opened = 0;
            foreach (var c in candidates.Where(c => c.PeriodEnd.AddDays(-c.RenewalWindowDays) <= today))
            {
                try
                {
                    if (await InTransactionAsync(() => ProposeAsync(c.Id, ct), ct)) opened++;
                }
                catch (DomainRuleException e) when (e.Code == SubscriptionLookups.MissingPackage)
                {
                    logger.LogInformation("Renewal for subscription {Id} waits for next year's packages: {Message}", c.Id, e.Message);
                }
            }
            return opened;
        }

        private async Task<bool> ProposeAsync(Guid subscriptionId, CancellationToken ct)
        {
            var subscription = await db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == subscriptionId, ct);
            await db.LockSchoolAsync(subscription.SchoolId, ct);
            if (await db.RenewalProposals.AnyAsync(p => p.SubscriptionId == subscriptionId, ct)) return false;
            var school = await db.Schools.AsNoTracking().SingleAsync(s => s.Id == subscription.SchoolId, ct);
            var la = await db.LocalAuthorities.AsNoTracking().SingleAsync(l => l.Id == subscription.LocalAuthorityId, ct);
            var concern = await db.ConcernEnrolments.AnyAsync(e => e.SubscriptionId == subscriptionId && e.Status == EnrolmentStatus.Active, ct);
            var used = await CreditsUsed.InPeriodAsync(db, subscription.SchoolId, subscription.Period, ct);
            var allowance = subscription.CreditsIncluded;
            var (tier, rationale) = RenewalProposal.Recommend(concern, subscription.RenewalTier, subscription.NextPeriodTier is not null, used, allowance);

            var next = subscription.Period.Next();
            var package = await db.TierPackageAsync(la.Id, TierPackage.YearOf(next), tier, ct);
            var proposal = new RenewalProposal(Guid.CreateVersion7(), subscription.Id, subscription.SchoolId, la.Id, next, tier,
                package.FeeFor(school.PupilsOnRoll), package.CreditsIncluded, used, allowance, rationale, clock.GetUtcNow());
            db.RenewalProposals.Add(proposal);
            await notifier.ToSchoolAsync(school.Id, $"renewal-proposal:{proposal.SubscriptionId:N}", $"Your {la.TradingName} renewal for {next.Label}",
                $"""
                Your subscription to {la.TradingName} ends on {subscription.PeriodEnd:d MMMM yyyy}.

                We propose {tier} for {next.Label}: £{proposal.ProposedFeePence / 100m:N2} a year including {proposal.ProposedCredits} credits.
                {rationale}

                Confirm, change or decline the proposal on your subscription page. Without an answer, the subscription renews at
                {(concern ? Tier.Gold : subscription.RenewalTier)}, as now: we never move a school to a dearer tier without its confirmation.
                """, ct);
            await db.SaveChangesAsync(ct);
            return true;
        }
    }
}
