using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Common;
using Marketplace.Domain.Concern;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>
/// The school asks for a lower tier from the next period (this period is paid for). Not while it is
/// enrolled at gold for concern. Buyers who may commit spend only.
/// </summary>
public static class ScheduleDowngrade
{
    public const string StaysAtGold = "While the school causes concern it stays at gold; speak to the LA.";

    public sealed record Command(int Urn, string? Tier, string? Reason) : ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Tier).MustBeTier();
            RuleFor(x => x.Reason).MaximumLength(1000).WithMessage("Keep the reason to 1,000 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var school = await Access.SchoolToCommitAsync(db, user, request.Urn, ct);
            await db.LockSchoolAsync(school.Id, ct);
            var today = clock.Today();
            var current = await db.RequireCurrentSubscriptionAsync(school, today, ct);
            await db.RefuseWhileEnrolledAtGoldAsync(current, StaysAtGold, ct);
            var change = current.ScheduleDowngrade(TierRules.ParseTier(request.Tier), today, user.UserId, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return change.Id;
        }
    }
}
