using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;

namespace Marketplace.Application.Features.Bookings;

/// <summary>The school signs off a delivery: the delivered part is charged (<see cref="Domain.Bookings.BookingPaymentRule"/>) and the rest released.</summary>
public static class SignOffBooking
{
    public sealed record Command(Guid Id) : ICommand<Unit>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, BookingSettlement settlement, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var booking = await BookingAccess.FindAsync(db, user, request.Id, ct);
            if (!user.IsBuyerFor(booking.SchoolId)) throw new ForbiddenException("Only the school can sign off its booking.");
            booking.SignOff(user.UserId, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            await settlement.SettleAsync(booking, booking.CapturedCredits, "signed off", ct);
            return Unit.Value;
        }
    }
}
