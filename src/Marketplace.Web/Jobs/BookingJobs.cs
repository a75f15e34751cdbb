using Hangfire;
using Marketplace.Application.Features.Bookings;
using Mediator;

namespace Marketplace.Web.Jobs;

/// <summary>
/// The daily bookings run (Hangfire recurring job "bookings-auto-sign-off", 02:00 UK time): the job only
/// sends <see cref="SignOffUnansweredDeliveries"/> and <see cref="SendBookingReminders"/>; both are keyed
/// by booking, so a retry or a manual rerun changes nothing twice.
/// </summary>
public sealed class BookingJobs(IMediator mediator, ILogger<BookingJobs> logger)
{
    public const string RecurringJobId = "bookings-auto-sign-off";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunDailyAsync(CancellationToken ct)
    {
        var signed = await mediator.Send(new SignOffUnansweredDeliveries.Command(), ct);
        var reminded = await mediator.Send(new SendBookingReminders.Command(), ct);
        logger.LogInformation("Bookings daily run: {Signed} signed off automatically, {Reminded} reminders queued", signed, reminded);
    }
}
