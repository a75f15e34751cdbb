using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>
/// Sends one school the renewal proposal for its subscription once the renewal window has opened (one
/// item of <see cref="RunDailySubscriptions"/>). One proposal per subscription, checked under the
/// school's row lock: answers false when one exists. Next year's package not yet published is the
/// <see cref="SubscriptionLookups.MissingPackage"/> refusal, and nothing is written.
/// </summary>
public static class ProposeRenewal
{
    public sealed record Command(Guid SubscriptionId) : ICommand<bool>;

    public sealed class Handler(MarketplaceDbContext db, Notifier notifier, TimeProvider clock) : ICommandHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command request, CancellationToken ct)
        {
            var subscriptionId = request.SubscriptionId;
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
