using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Application.Features.Bookings;

/// <summary>
/// Signs off delivered bookings the school has not answered within its LA's number of working days
/// (the nightly bookings job sends this). Each booking is settled in its own transaction under the row
/// version, and every ledger step is keyed by the booking, so a rerun (or a run racing the school's own
/// sign-off) settles nothing twice. Answers how many were signed off.
/// </summary>
public static class SignOffUnansweredDeliveries
{
    public sealed record Command : ICommand<int>;

    public sealed class Handler(MarketplaceDbContext db, BookingSettlement settlement, TimeProvider clock, ILogger<Handler> logger) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command request, CancellationToken ct)
        {
            var today = clock.Today();
            var candidates = await db.Bookings.AsNoTracking().Where(b => b.Status == BookingStatus.Delivered)
                .Join(db.LocalAuthorities, b => b.SellerLaId, l => l.Id, (b, l) => new { b.Id, b.DeliveredAt, l.AutoSignOffWorkingDays })
                .ToListAsync(ct);
            var signed = 0;
            foreach (var c in candidates)
            {
                var delivered = UkClock.DateOf(c.DeliveredAt!.Value);
                if (WorkingDays.Between(delivered, today) < c.AutoSignOffWorkingDays) continue;
                db.ChangeTracker.Clear();
                var booking = await db.Bookings.Include(b => b.Events).SingleAsync(b => b.Id == c.Id, ct);
                if (booking.Status != BookingStatus.Delivered) continue;
                booking.SignOff(null, clock.GetUtcNow(), $"Signed off automatically: no answer from the school within {c.AutoSignOffWorkingDays} working days of delivery");
                try
                {
                    await using var tx = await db.Database.BeginTransactionAsync(ct);
                    await db.SaveChangesAsync(ct);
                    await settlement.SettleAsync(booking, booking.CapturedCredits, "signed off automatically", ct);
                    await tx.CommitAsync(ct);
                    signed++;
                }
                catch (DbUpdateConcurrencyException)
                {
                    logger.LogInformation("Booking {Reference} changed while being signed off automatically; left for the school's answer", booking.Reference);
                }
            }
            return signed;
        }
    }
}
