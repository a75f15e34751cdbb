using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Concern;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Concern;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Concern;

/// <summary>The LA flags a school at risk against the York risk criteria; it is enrolled at gold.</summary>
public static class FlagSchoolAtRisk
{
    public sealed record Command(int Code, int Urn, IReadOnlyList<string>? Reasons, string? Note) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Reasons).NotEmpty().WithMessage("Choose at least one risk criterion");
            RuleForEach(x => x.Reasons).Must(r => EnumText.TryParse<RiskCriterion>(r, out _))
                .WithMessage(r => $"Risk criteria are: {EnumText.Allowed<RiskCriterion>()}");
            RuleFor(x => x.Note).MaximumLength(1000).WithMessage("Keep it to 1,000 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, ConcernEnrolmentRule rule, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var school = await Access.SchoolOfLaAsync(db, la, request.Urn, ct);
            var actor = Actor.From(user);
            var reasons = request.Reasons!.Select(r => EnumText.TryParse<RiskCriterion>(r, out var c) ? c : default).ToList();
            await db.LockSchoolAsync(school.Id, ct);
            if (await db.IsAtRiskAsync(school.Id, ct))
                throw new Domain.Common.DomainRuleException("risk.open", $"{school.Name} is already flagged at risk. Clear that flag first to record a new assessment.");
            var flag = new RiskFlag(Guid.CreateVersion7(), school.Id, reasons, request.Note, actor.UserId, clock.GetUtcNow());
            db.RiskFlags.Add(flag);
            db.AuditSchool(clock, actor, school, "risk.flagged", "Flagged at risk: " + string.Join(", ", flag.Reasons.Select(ConcernWording.Describe)), flag.Note);
            await db.SaveChangesAsync(ct);
            await rule.ApplyAsync(school, actor, ct);
            await db.SaveChangesAsync(ct);
            return Unit.Value;
        }
    }
}
