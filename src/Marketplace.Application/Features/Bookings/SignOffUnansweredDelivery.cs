using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Application.Features.Bookings;

/// <summary>
/// Signs off one delivered booking the school has not answered in time and settles its hold (one item of
/// <see cref="SignOffUnansweredDeliveries"/>). Under the row version: a booking that has moved on, or
/// changes while this runs (the school's own sign-off or dispute), is left alone and answers false.
/// Every ledger step is keyed by the booking, so a rerun settles nothing twice.
/// </summary>
public static class SignOffUnansweredDelivery
{
    public sealed record Command(Guid BookingId, int WorkingDays) : ICommand<bool>;

    public sealed class Handler(MarketplaceDbContext db, BookingSettlement settlement, TimeProvider clock, ILogger<Handler> logger) : ICommandHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command request, CancellationToken ct)
        {
            var booking = await db.Bookings.Include(b => b.Events).SingleAsync(b => b.Id == request.BookingId, ct);
            if (booking.Status != BookingStatus.Delivered) return false;
            booking.SignOff(null, clock.GetUtcNow(), $"Signed off automatically: no answer from the school within {request.WorkingDays} working days of delivery");
            try
            {
                // A refused save is rolled back to EF Core's savepoint, so the transaction is intact and nothing is settled.
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                logger.LogInformation("Booking {Reference} changed while being signed off automatically; left for the school's answer", booking.Reference);
                db.ChangeTracker.Clear();
                return false;
            }
            await settlement.SettleAsync(booking, booking.CapturedCredits, "signed off automatically", ct);
            return true;
        }
    }
}
