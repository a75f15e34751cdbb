using Marketplace.Application.Common;
using Marketplace.Application.Concern;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Concern;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Concern;

/// <summary>The LA lifts an override, so the automatic concern rules apply to the school again at once.</summary>
public static class LiftConcernOverride
{
    public sealed record Command(int Code, int Urn) : ICommand<Unit>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, ConcernEnrolmentRule rule, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var school = await Access.SchoolOfLaAsync(db, la, request.Urn, ct);
            var actor = Actor.From(user);
            await db.LockSchoolAsync(school.Id, ct);
            var enrolment = await db.EnrolmentInForceAsync(school.Id, ct);
            if (enrolment?.Status != EnrolmentStatus.Overridden)
                throw new Domain.Common.DomainRuleException("concern.no-override", $"There is no override in force for {school.Name}.");
            enrolment.LiftOverride();
            db.AuditSchool(clock, actor, school, "concern.override-lifted", "Override lifted: the automatic rules apply again", null);
            await db.SaveChangesAsync(ct);
            await rule.ApplyAsync(school, actor, ct);
            await db.SaveChangesAsync(ct);
            return Unit.Value;
        }
    }
}
