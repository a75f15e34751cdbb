using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Features.Practitioners;
using Marketplace.Domain.Bookings;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Bookings;

/// <summary>The side that did not propose a change accepts it: the booking moves (409 when the practitioner is not free on the new dates).</summary>
public static class AcceptBookingChange
{
    public sealed record Command(Guid Id, Guid ChangeId, string? Note = null) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(x => x.Note).MaximumLength(1000).WithMessage("Keep the note to 1,000 characters");
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, BookingMail mail, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var (booking, side) = await BookingAccess.FindForChangeAsync(db, user, request.Id, request.ChangeId, ct);
            var change = booking.AcceptChange(request.ChangeId, side, user.UserId, clock.GetUtcNow());
            await Availability.EnsureAvailableAsync(db, change.PractitionerId!.Value, booking.ConfirmedDates, ct);
            // Move the practitioner's slots: the old ones go first, so moving within the same days works.
            await db.BookingSlots.Where(s => s.BookingId == booking.Id).ExecuteDeleteAsync(ct);
            foreach (var d in booking.ConfirmedDates) db.BookingSlots.Add(new BookingSlot(change.PractitionerId!.Value, d, booking.Id));
            await mail.QueueAsync(booking, "change-accepted", ct, change.Id.ToString("N"));
            await Availability.SaveSlotsAsync(db, ct);
            return Unit.Value;
        }
    }
}
