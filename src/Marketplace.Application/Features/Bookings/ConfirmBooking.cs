using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Marketplace.Application.Features.Practitioners;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Bookings;

/// <summary>The provider confirms with a practitioner and dates; a practitioner already booked on a date is a 409, even when two confirmations race.</summary>
public static class ConfirmBooking
{
    public sealed record Command(Guid Id, Guid? PractitionerId, IReadOnlyList<DateOnly>? Dates) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(x => x.PractitionerId).NotEmpty().WithMessage("Choose the practitioner");
            RuleFor(x => x.Dates).NotEmpty().WithMessage("Give the date or dates of the work").Must(d => d is null || d.Count <= 100).WithMessage("Give at most 100 dates");
            RuleForEach(x => x.Dates).Must(d => BookingDates.Refusal(d, clock.Today()) is null).WithMessage((_, d) => BookingDates.Refusal(d, clock.Today()));
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, BookingMail mail, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var booking = await BookingAccess.FindAsync(db, user, request.Id, ct);
            if (!user.IsAdmin() && !user.IsProviderUserOf(booking.ProviderId)) throw new ForbiddenException("Only the provider can confirm a booking.");
            if (!await db.Practitioners.AnyAsync(p => p.Id == request.PractitionerId && p.ProviderId == booking.ProviderId, ct))
                throw new ValidationException([new("PractitionerId", "Choose one of your practitioners")]);
            var dates = request.Dates!.Distinct().Order().ToList();
            booking.Confirm(request.PractitionerId!.Value, dates, user.UserId, clock.GetUtcNow());
            await Availability.EnsureAvailableAsync(db, request.PractitionerId!.Value, dates, ct);
            await Terms.TermTime.EnsureInTermAsync(db, booking.SchoolId, booking.OfferVersionId, dates, "Dates", ct);
            foreach (var d in dates) db.BookingSlots.Add(new BookingSlot(request.PractitionerId!.Value, d, booking.Id));
            await mail.QueueAsync(booking, "confirmed", ct);
            await Availability.SaveSlotsAsync(db, ct); // the booking, its slots and its emails in one write
            return Unit.Value;
        }
    }
}
