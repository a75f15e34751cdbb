using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Mediator;

namespace Marketplace.Application.Features.Bookings;

/// <summary>
/// Cancels a booking. A request not yet confirmed is withdrawn by the school, free. A confirmed booking
/// cancelled by the school is charged by the offer's terms (<see cref="CancellationTerms"/>, counted in
/// England's working days); cancelled by the provider it is free. The charge goes to the provider, the
/// rest back to the school (<see cref="BookingPaymentRule.Cancellation"/>).
/// </summary>
public static class CancelBooking
{
    public sealed record Command(Guid Id, string? Reason) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(x => x.Reason).MaximumLength(1000).WithMessage("Keep the reason to 1,000 characters");
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, BookingSettlement settlement, BookingMail mail, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var booking = await BookingAccess.FindAsync(db, user, request.Id, ct);
            var now = clock.GetUtcNow();
            var isProvider = user.IsProviderUserOf(booking.ProviderId);
            var isSchool = user.IsBuyerFor(booking.SchoolId);
            string why;
            if (booking.Status == BookingStatus.Requested)
            {
                if (!user.IsAdmin() && !isSchool) throw new ForbiddenException("Only the school can withdraw its request; the provider declines it.");
                booking.CancelRequest(request.Reason, user.UserId, now);
                why = "request cancelled";
            }
            else
            {
                if (!user.IsAdmin() && !isSchool && !isProvider) throw new ForbiddenException("Only the school or the provider can cancel a booking.");
                var first = booking.ConfirmedDates.Count > 0 ? booking.ConfirmedDates[0] : clock.Today();
                var terms = await BookingAccess.TermsAsync(db, booking, ct);
                var charge = terms.ChargeFor(booking.TotalCredits, first, BookingAccess.StartOf(first), clock.Today(), now, booking.LateRuleWaived);
                booking.CancelConfirmed(byProvider: isProvider, charge, request.Reason, user.UserId, now);
                db.BookingSlots.RemoveRange(db.BookingSlots.Where(s => s.BookingId == booking.Id));
                why = isProvider ? "cancelled by the provider" : $"cancelled by the school, {charge.Rule}";
            }
            await db.SaveChangesAsync(ct); // the row version refuses a racing answer (409)
            await settlement.SettleAsync(booking, booking.CapturedCredits, why, ct);
            await mail.QueueAsync(booking, "cancelled", ct);
            await db.SaveChangesAsync(ct);
            return Unit.Value;
        }
    }
}
