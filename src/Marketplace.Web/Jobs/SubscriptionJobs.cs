using Hangfire;
using Marketplace.Application.Features.Subscriptions;
using Mediator;

namespace Marketplace.Web.Jobs;

/// <summary>
/// The daily subscriptions run (Hangfire recurring job "subscriptions-daily", 01:30 UK time): sends
/// <see cref="RunDailySubscriptions"/>, which is idempotent, so a retry or a manual rerun changes nothing twice.
/// </summary>
public sealed class SubscriptionJobs(IMediator mediator)
{
    public const string RecurringJobId = "subscriptions-daily";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunDailyAsync(CancellationToken ct) => await mediator.Send(new RunDailySubscriptions.Command(), ct);
}
