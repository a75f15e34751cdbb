using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>
/// The school confirms its renewal proposal, as proposed or at another tier (gold while it is enrolled
/// for concern). Buyers who may commit spend only.
/// </summary>
public static class ConfirmRenewal
{
    public sealed record Command(int Urn, string? Tier) : ICommand<RenewalStatus>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(x => x.Tier).MustBeTier().When(x => x.Tier is not null);
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, RenewalStatus>
    {
        public async ValueTask<RenewalStatus> Handle(Command request, CancellationToken ct)
        {
            var school = await Access.SchoolToCommitAsync(db, user, request.Urn, ct);
            await db.LockSchoolAsync(school.Id, ct);
            var (current, proposal, concern) = await RenewalAnswer.LoadAsync(db, school, clock.Today(), ct);
            var tier = request.Tier is null ? proposal.ProposedTier : TierRules.ParseTier(request.Tier);
            RenewalAnswer.RenewAtGoldWhileConcern(concern, tier);
            await db.TierPackageAsync(current.LocalAuthorityId, TierPackage.YearOf(proposal.NextPeriod), tier, ct);
            var now = clock.GetUtcNow();
            proposal.Confirm(tier, user.UserId!.Value, now);
            if (tier != current.RenewalTier) current.SetRenewalTier(tier, "Chosen in the renewal", user.UserId, now);
            await db.SaveChangesAsync(ct);
            return proposal.Status;
        }
    }
}

/// <summary>What confirming and declining a renewal both start from: the current subscription, its proposal, and whether it is a concern enrolment.</summary>
internal static class RenewalAnswer
{
    public static async Task<(Subscription Current, RenewalProposal Proposal, bool EnrolledForConcern)> LoadAsync(MarketplaceDbContext db,
        Domain.Organisations.School school, DateOnly today, CancellationToken ct)
    {
        var current = await db.RequireCurrentSubscriptionAsync(school, today, ct);
        var proposal = await db.RenewalProposals.SingleOrDefaultAsync(p => p.SubscriptionId == current.Id, ct)
            ?? throw new DomainRuleException("renewal.none", "The renewal window has not opened yet: there is no proposal to answer.");
        var concern = await db.ConcernEnrolments.AnyAsync(e => e.SubscriptionId == current.Id && e.Status == EnrolmentStatus.Active, ct);
        return (current, proposal, concern);
    }

    public static void RenewAtGoldWhileConcern(bool enrolledForConcern, Tier tier)
    {
        if (enrolledForConcern && tier != Tier.Gold)
            throw new DomainRuleException("concern.gold", "While the school causes concern it renews at gold.");
    }
}
