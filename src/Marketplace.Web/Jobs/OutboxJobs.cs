using Hangfire;
using Marketplace.Application.Mail;

namespace Marketplace.Web.Jobs;

/// <summary>Sends queued emails every minute (Hangfire recurring job "outbox-dispatch").</summary>
public sealed class OutboxJobs(OutboxDispatcher dispatcher)
{
    public const string RecurringJobId = "outbox-dispatch";

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    [AutomaticRetry(Attempts = 0)] // the next minute's run retries what failed
    public async Task DispatchAsync(CancellationToken ct)
    {
        while (await dispatcher.DispatchAsync(50, ct) == 50) { }
    }
}
