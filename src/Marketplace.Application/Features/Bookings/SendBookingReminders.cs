using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Bookings;

/// <summary>
/// Reminds the school and the provider of a confirmed booking two working days before its first date
/// (the nightly bookings job sends this). Each reminder is keyed by the booking and its first date, so a
/// rerun queues none twice and a booking moved after its reminder went out is reminded again for the new
/// date. Answers how many bookings were reminded.
/// </summary>
public static class SendBookingReminders
{
    public const int WorkingDaysBefore = 2;

    public sealed record Command : ICommand<int>;

    public sealed class Handler(MarketplaceDbContext db, BookingMail mail, TimeProvider clock) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command request, CancellationToken ct)
        {
            var due = WorkingDays.Add(clock.Today(), WorkingDaysBefore);
            db.ChangeTracker.Clear();
            // Only the bookings due a reminder are read, not every confirmed booking.
            var confirmed = await db.Bookings.AsNoTracking().Include(b => b.Events)
                .Where(b => b.Status == BookingStatus.Confirmed && b.ConfirmedDates[0] == due).ToListAsync(ct);
            foreach (var booking in confirmed)
                await mail.QueueAsync(booking, "reminder", ct, booking.ConfirmedDates[0].ToString("yyyyMMdd"));
            await db.SaveChangesAsync(ct);
            return confirmed.Count;
        }
    }
}
