using Hangfire;
using Marketplace.Application.Features.Bookings;

namespace Marketplace.Web.Jobs;

/// <summary>The daily bookings run (Hangfire recurring job "bookings-auto-sign-off", 02:00 UK time).</summary>
public sealed class BookingJobs(AutoSignOff autoSignOff, Marketplace.Application.Data.MarketplaceDbContext db, BookingMail mail, TimeProvider clock,
    ILogger<BookingJobs> logger)
{
    public const string RecurringJobId = "bookings-auto-sign-off";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunDailyAsync(CancellationToken ct)
    {
        var signed = await autoSignOff.RunAsync(ct);
        // Reminders two working days before the first date (keyed by booking, so a rerun sends none twice).
        var due = Marketplace.Domain.Bookings.WorkingDays.Add(Marketplace.Application.Common.UkClock.Today(clock), 2);
        db.ChangeTracker.Clear();
        var confirmed = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.Include(db.Bookings, b => b.Events)
                .Where(b => b.Status == Marketplace.Domain.Bookings.BookingStatus.Confirmed && b.ConfirmedDates[0] == due), ct);
        var reminded = 0;
        foreach (var booking in confirmed)
        {
            // Keyed by the date too: a booking moved after its reminder went out is reminded again for the new date.
            await mail.QueueAsync(booking, "reminder", ct, booking.ConfirmedDates[0].ToString("yyyyMMdd"));
            reminded++;
        }
        logger.LogInformation("Bookings daily run: {Signed} signed off automatically, {Reminded} reminders queued", signed, reminded);
    }
}
