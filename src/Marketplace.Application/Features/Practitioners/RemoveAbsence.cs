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

/// <summary>The provider removes a recorded absence; the days become bookable again.</summary>
public static class RemoveAbsence
{
    public sealed record Command(Guid ProviderId, Guid PractitionerId, Guid AbsenceId) : ICommand<Unit>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var p = await Availability.PractitionerAsync(db, user, request.ProviderId, request.PractitionerId, ct);
            var absence = await db.PractitionerAbsences.SingleOrDefaultAsync(a => a.Id == request.AbsenceId && a.PractitionerId == p.Id, ct)
                ?? throw new NotFoundException("Absence", request.AbsenceId);
            db.PractitionerAbsences.Remove(absence);
            await db.SaveChangesAsync(ct);
            return Unit.Value;
        }
    }
}
