using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Concern;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Concern;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Concern;

/// <summary>
/// LA staff decide, with a reason, that a school causing concern is not (or no longer) enrolled at gold
/// automatically. An enrolment in force then runs gold to the period end and returns to the previous
/// tier; a school not yet enrolled is not enrolled while the override stands.
/// </summary>
public static class OverrideConcernEnrolment
{
    public sealed record Command(int Code, int Urn, string? Reason) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Reason).NotEmpty().WithMessage("Give a reason for the override");
            // The API has always reported an over-long reason under "note" (the field the commands once shared).
            RuleFor(x => x.Reason).MaximumLength(1000).OverridePropertyName("Note").WithMessage("Keep it to 1,000 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, ConcernEnrolmentRule rule, Notifier notifier, TimeProvider clock)
        : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var school = await Access.SchoolOfLaAsync(db, la, request.Urn, ct);
            var actor = Actor.From(user);
            var reason = request.Reason!;
            await db.LockSchoolAsync(school.Id, ct);
            var now = clock.GetUtcNow();
            var enrolment = await db.EnrolmentInForceAsync(school.Id, ct);
            if (enrolment is null)
            {
                if (!ConcernEnrolment.CausesConcern(school.OfstedGrade, await db.IsAtRiskAsync(school.Id, ct)))
                    throw new Domain.Common.DomainRuleException("concern.none", $"{school.Name} does not cause concern, so there is nothing to override.");
                db.ConcernEnrolments.Add(ConcernEnrolment.OverriddenBeforeEnrolment(Guid.CreateVersion7(), school.Id, school.LocalAuthorityId,
                    await db.ConcernTriggerAsync(school, ct), reason, now));
                db.AuditSchool(clock, actor, school, "concern.override", "Automatic gold enrolment overridden: the school will not be enrolled", reason);
            }
            else
            {
                var wasActive = enrolment.Status == EnrolmentStatus.Active;
                enrolment.Override(reason, now);
                if (wasActive) enrolment.ScheduleReturn(await rule.GoldSubscriptionAsync(enrolment, ct), "Concern enrolment overridden", actor.UserId, clock.GetUtcNow());
                db.AuditSchool(clock, actor, school, "concern.override",
                    wasActive ? "Gold enrolment overridden: gold runs to the period end, then the previous tier" : "Override recorded on an ending enrolment", reason);
            }
            await notifier.ToSchoolAndLaAsync(school, $"concern-override:{school.Id:N}:{now.ToUnixTimeMilliseconds()}",
                $"{school.Name}: automatic gold enrolment overridden", $"{actor.Name} overrode the automatic gold enrolment of {school.Name}.\n\nReason: {reason}", ct);
            await db.SaveChangesAsync(ct);
            return Unit.Value;
        }
    }
}
