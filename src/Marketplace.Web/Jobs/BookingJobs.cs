using Hangfire;
using Marketplace.Application.Features.Bookings;

namespace Marketplace.Web.Jobs;

/// <summary>The daily bookings run (Hangfire recurring job "bookings-auto-sign-off", 02:00 UK time).</summary>
public sealed class BookingJobs(AutoSignOff autoSignOff, ILogger<BookingJobs> logger)
{
    public const string RecurringJobId = "bookings-auto-sign-off";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunDailyAsync(CancellationToken ct)
    {
        var signed = await autoSignOff.RunAsync(ct);
        logger.LogInformation("Bookings daily run: {Signed} delivered bookings signed off automatically", signed);
    }
}
