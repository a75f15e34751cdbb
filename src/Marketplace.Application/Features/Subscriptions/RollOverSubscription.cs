using Marketplace.Application.Common;
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
/// Ends one subscription whose period has passed and, when it renews, starts the next period (one item
/// of <see cref="RunDailySubscriptions"/>). Under the school's row lock, a subscription that is no longer
/// active was rolled over by another run: answers false and changes nothing.
/// </summary>
public static class RollOverSubscription
{
    public sealed record Command(Guid SubscriptionId) : ICommand<bool>;

    public sealed class Handler(MarketplaceDbContext db, NewSubscription newSubscription, Notifier notifier, TimeProvider clock, ILogger<Handler> logger)
        : ICommandHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command request, CancellationToken ct)
        {
            var subscriptionId = request.SubscriptionId;
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
                // The LA has not published next year's packages: the school is told, the period is not renewed. The refusal
                // is a C# check before any write, so the transaction is intact and the period's end above still commits.
                logger.LogWarning("Could not renew subscription {Id}: {Message}", subscriptionId, e.Message);
                await notifier.ToCommissionersAsync(la.Id, $"renewal-failed:{subscriptionId:N}", $"{school.Name}: subscription could not renew",
                    $"{school.Name}'s subscription ended on {subscription.PeriodEnd:d MMMM yyyy} and could not renew: {e.Message}", ct);
                await db.SaveChangesAsync(ct);
            }
            return true;
        }
    }
}
