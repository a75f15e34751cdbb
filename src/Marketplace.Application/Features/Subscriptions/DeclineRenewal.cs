using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Common;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>
/// The school declines its renewal, saying why: the subscription ends at the period end. Not while it is
/// enrolled at gold for concern. Buyers who may commit spend only.
/// </summary>
public static class DeclineRenewal
{
    public sealed record Command(int Urn, string? Reason) : ICommand<RenewalStatus>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() =>
            RuleFor(x => x.Reason).NotEmpty().WithMessage("Say why the school is not renewing")
                .MaximumLength(1000).WithMessage("Keep the reason to 1,000 characters");
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, RenewalStatus>
    {
        public async ValueTask<RenewalStatus> Handle(Command request, CancellationToken ct)
        {
            var school = await Access.SchoolToCommitAsync(db, user, request.Urn, ct);
            await db.LockSchoolAsync(school.Id, ct);
            var (current, proposal, concern) = await RenewalAnswer.LoadAsync(db, school, clock.Today(), ct);
            if (concern) throw new DomainRuleException("concern.gold", "While the school causes concern its gold enrolment continues; speak to the LA.");
            var now = clock.GetUtcNow();
            proposal.Decline(request.Reason!, user.UserId!.Value, now);
            current.EndAtPeriodEnd("Renewal declined: " + request.Reason!.Trim(), user.UserId, now);
            await db.SaveChangesAsync(ct);
            return proposal.Status;
        }
    }
}
