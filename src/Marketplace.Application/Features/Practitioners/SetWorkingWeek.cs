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

/// <summary>The provider sets the weekdays a practitioner works; days already booked stay booked.</summary>
public static class SetWorkingWeek
{
    public sealed record Command(Guid ProviderId, Guid PractitionerId, IReadOnlyList<string>? WorkingDays) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.WorkingDays).NotEmpty().WithMessage("Choose at least one working day");
            RuleForEach(x => x.WorkingDays).Must(d => DayName(d) is not null)
                .WithMessage("Working days are Monday, Tuesday, Wednesday, Thursday, Friday, Saturday or Sunday");
        }
    }

    /// <summary>
    /// The day a name stands for: the seven English day names in any case, nothing else (<c>Enum.TryParse</c>
    /// would also take "7", "-1" and "Monday, Friday").
    /// </summary>
    internal static DayOfWeek? DayName(string? name) =>
        Enum.GetValues<DayOfWeek>().Cast<DayOfWeek?>().FirstOrDefault(d => string.Equals(d.ToString(), name, StringComparison.OrdinalIgnoreCase));

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var p = await Availability.PractitionerAsync(db, user, request.ProviderId, request.PractitionerId, ct);
            var week = request.WorkingDays!.Aggregate(WorkingWeek.None, (w, d) => w | Practitioner.WorkingWeekOf(DayName(d)!.Value));
            p.SetWorkingWeek(week);
            await db.SaveChangesAsync(ct);
            return Unit.Value;
        }
    }
}
