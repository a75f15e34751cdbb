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
/// The school gives notice under its package's notice terms: the subscription ends at the end of the
/// term, or of the following period when less than the notice is left. Not while it is enrolled at gold
/// for concern. Buyers who may commit spend only.
/// </summary>
public static class GiveNotice
{
    public sealed record Command(int Urn, string? Reason) : ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(x => x.Reason).MaximumLength(1000).WithMessage("Keep the reason to 1,000 characters");
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var school = await Access.SchoolToCommitAsync(db, user, request.Urn, ct);
            await db.LockSchoolAsync(school.Id, ct);
            var today = clock.Today();
            var current = await db.RequireCurrentSubscriptionAsync(school, today, ct);
            await db.RefuseWhileEnrolledAtGoldAsync(current, "While the school causes concern its gold enrolment continues; speak to the LA.", ct);
            var notice = current.GiveNotice(today, request.Reason, user.UserId, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return notice.Id;
        }
    }
}
