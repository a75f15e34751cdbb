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
            // The same decision and settlement the check page quotes (QuoteCancellation).
            var decision = await QuoteCancellation.DecideAsync(db, user, booking, clock, ct);
            string why;
            if (decision.Charge is not { } charge)
            {
                booking.CancelRequest(request.Reason, user.UserId, now);
                why = "request cancelled";
            }
            else
            {
                booking.CancelConfirmed(decision.ByProvider, charge, request.Reason, user.UserId, now);
                db.BookingSlots.RemoveRange(db.BookingSlots.Where(s => s.BookingId == booking.Id));
                why = decision.ByProvider ? "cancelled by the provider" : $"cancelled by the school, {charge.Rule}";
            }
            await db.SaveChangesAsync(ct); // the row version refuses a racing answer (409)
            await settlement.SettleAsync(booking, booking.CapturedCredits, why, ct);
            await mail.QueueAsync(booking, "cancelled", ct);
            await db.SaveChangesAsync(ct);
            return Unit.Value;
        }
    }
}
