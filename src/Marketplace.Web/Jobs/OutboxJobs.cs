using Hangfire;
using Marketplace.Application.Features.Outbox;
using Mediator;

namespace Marketplace.Web.Jobs;

/// <summary>Sends queued emails every minute (Hangfire recurring job "outbox-dispatch"): the job only sends <see cref="DispatchOutbox"/>.</summary>
public sealed class OutboxJobs(IMediator mediator)
{
    public const string RecurringJobId = "outbox-dispatch";

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    [AutomaticRetry(Attempts = 0)] // the next minute's run retries what failed
    public async Task DispatchAsync(CancellationToken ct) => await mediator.Send(new DispatchOutbox.Command(), ct);
}
