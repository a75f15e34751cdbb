using System.Globalization;
using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Common;
using Marketplace.Domain.Organisations;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Marketplace.Application.Features.Practitioners;

/// <summary>The provider records a practitioner's absence; one that overlaps days already booked is refused (409) naming them.</summary>
public static class RecordAbsence
{
    public sealed record Command(Guid ProviderId, Guid PractitionerId, DateOnly? From, DateOnly? To, string? Reason) : ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(x => x.From).NotNull().WithMessage("Enter the first day away").Must(d => d is null || d >= clock.Today()).WithMessage("The first day cannot be in the past");
            RuleFor(x => x.To).NotNull().WithMessage("Enter the last day away")
                .Must((x, to) => to is null || x.From is null || to >= x.From).WithMessage("The last day cannot be before the first")
                .Must((x, to) => to is null || x.From is null || to.Value.DayNumber - x.From.Value.DayNumber <= 366).WithMessage("Record at most a year at a time");
            RuleFor(x => x.Reason).NotEmpty().WithMessage("Give a reason, for example annual leave").MaximumLength(200).WithMessage("Keep the reason to 200 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var p = await Availability.PractitionerAsync(db, user, request.ProviderId, request.PractitionerId, ct);
            await Availability.LockAsync(db, p.Id, ct);
            var clashes = await db.BookingSlots.Where(s => s.PractitionerId == p.Id && s.Date >= request.From && s.Date <= request.To)
                .OrderBy(s => s.Date).Select(s => new { s.Date, Reference = db.Bookings.Where(b => b.Id == s.BookingId).Select(b => b.Reference).Single() })
                .ToListAsync(ct);
            if (clashes.Count > 0)
                throw new DomainRuleException("absence.booked", "The practitioner is booked in that time: "
                    + string.Join(", ", clashes.Select(c => $"{c.Reference} on {c.Date:d MMMM yyyy}")) + ". Move or cancel those bookings first.");
            var absence = new PractitionerAbsence(Guid.CreateVersion7(), p.Id, request.From!.Value, request.To!.Value, request.Reason!, clock.GetUtcNow());
            db.PractitionerAbsences.Add(absence);
            await db.SaveChangesAsync(ct);
            return absence.Id;
        }
    }
}
