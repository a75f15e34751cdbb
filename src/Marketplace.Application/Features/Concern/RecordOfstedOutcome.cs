using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Concern;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Organisations;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Concern;

/// <summary>Records one Ofsted outcome for a school of the LA; a grade 3 or 4 enrols it at gold.</summary>
public static class RecordOfstedOutcome
{
    public sealed record Command(int Code, int? Urn, string? InspectionDate, int? Grade) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(x => x.Urn).NotNull().WithMessage("Enter the school's URN").Must(u => u is null || Urn.IsValid(u.Value)).WithMessage("A URN has six digits");
            RuleFor(x => x.InspectionDate).NotEmpty().WithMessage("Enter the inspection date")
                .Must(d => InspectionDates.TryParse(d, out _)).WithMessage("Enter the inspection date as YYYY-MM-DD or DD/MM/YYYY")
                .Must(d => !InspectionDates.OutOfRange(d)).WithMessage("The inspection date " + Marketplace.Domain.Common.ServiceDates.OutOfRangeMessage)
                .Must(d => !InspectionDates.TryParse(d, out var date) || date <= clock.Today()).WithMessage("The inspection date cannot be in the future");
            RuleFor(x => x.Grade).NotNull().WithMessage("Enter the grade").InclusiveBetween(1, 4).WithMessage("The grade is 1 (outstanding) to 4 (inadequate)");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, ConcernEnrolmentRule rule, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var school = await Access.SchoolOfLaAsync(db, la, request.Urn!.Value, ct);
            InspectionDates.TryParse(request.InspectionDate, out var date);
            var actor = Actor.From(user);
            if (await RecordAsync(db, clock, school, date, (OfstedGrade)request.Grade!.Value, OutcomeSource.Manual, actor, ct))
            {
                await db.SaveChangesAsync(ct);
                await rule.ApplyAsync(school, actor, ct);
                await db.SaveChangesAsync(ct);
            }
            return Unit.Value;
        }
    }

    /// <summary>
    /// Adds one outcome to the caller's unit of work, under the school's row lock; the caller saves it and
    /// then applies the concern rule. Answers false when the same school, date and grade is already
    /// recorded (nothing to do); another grade for a recorded date is refused. The CSV import records
    /// each of its good rows this way.
    /// </summary>
    internal static async Task<bool> RecordAsync(MarketplaceDbContext db, TimeProvider clock, School school, DateOnly inspectionDate,
        OfstedGrade grade, OutcomeSource source, Actor actor, CancellationToken ct)
    {
        await db.LockSchoolAsync(school.Id, ct);
        var existing = await db.OfstedInspections.SingleOrDefaultAsync(i => i.SchoolId == school.Id && i.InspectionDate == inspectionDate, ct);
        if (existing is not null)
        {
            if (existing.Grade == grade) return false;
            throw new Domain.Common.DomainRuleException("ofsted.conflict",
                $"An inspection on {inspectionDate:d MMMM yyyy} is already recorded for {school.Name} with grade {(int)existing.Grade}.");
        }

        db.OfstedInspections.Add(new OfstedInspection(Guid.CreateVersion7(), school.Id, inspectionDate, grade, source, actor.UserId, clock.GetUtcNow()));
        school.RecordOfstedOutcome(grade, inspectionDate);
        db.AuditSchool(clock, actor, school, "ofsted.recorded", $"Ofsted grade {(int)grade} ({ConcernWording.Describe(grade)}), inspected {inspectionDate:d MMMM yyyy}" +
            (source == OutcomeSource.CsvImport ? ", from a CSV upload" : ""), null);
        return true;
    }
}
