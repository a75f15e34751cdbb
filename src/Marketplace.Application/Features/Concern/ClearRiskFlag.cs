using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Concern;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Concern;

/// <summary>The LA clears a school's at-risk flag, saying why; if nothing else causes concern, its gold enrolment starts to end.</summary>
public static class ClearRiskFlag
{
    public sealed record Command(int Code, int Urn, string? Reason) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Reason).NotEmpty().WithMessage("Say why the school is no longer at risk");
            // The API has always reported an over-long reason under "note" (the field the commands once shared).
            RuleFor(x => x.Reason).MaximumLength(1000).OverridePropertyName("Note").WithMessage("Keep it to 1,000 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, ConcernEnrolmentRule rule, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var school = await Access.SchoolOfLaAsync(db, la, request.Urn, ct);
            var actor = Actor.From(user);
            await db.LockSchoolAsync(school.Id, ct);
            var flag = await db.RiskFlags.SingleOrDefaultAsync(f => f.SchoolId == school.Id && f.ClearedAt == null, ct)
                ?? throw new Domain.Common.DomainRuleException("risk.none", $"{school.Name} is not flagged at risk.");
            flag.Clear(request.Reason!, actor.UserId, clock.GetUtcNow());
            db.AuditSchool(clock, actor, school, "risk.cleared", "At-risk flag cleared", request.Reason);
            await db.SaveChangesAsync(ct);
            await rule.ApplyAsync(school, actor, ct);
            await db.SaveChangesAsync(ct);
            return Unit.Value;
        }
    }
}
