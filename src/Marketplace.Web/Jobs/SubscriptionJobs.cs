using Hangfire;
using Marketplace.Application.Subscriptions;

namespace Marketplace.Web.Jobs;

/// <summary>
/// The daily subscriptions run (Hangfire recurring job "subscriptions-daily", 01:30 UK time): end
/// periods that have passed and start renewals, grant allowances that have come due, expire unused
/// credits, and send renewal proposals whose window has opened. Every step is idempotent (ledger keys,
/// unique proposals, status checks under a row lock), so a retry or a manual rerun changes nothing twice.
/// </summary>
public sealed class SubscriptionJobs(SubscriptionService subscriptions, ILogger<SubscriptionJobs> logger)
{
    public const string RecurringJobId = "subscriptions-daily";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunDailyAsync(CancellationToken ct)
    {
        var rolled = await subscriptions.RollOverAsync(ct);
        var granted = await subscriptions.GrantDueAllowancesAsync(ct);
        var expired = await subscriptions.ExpireGrantsAsync(ct);
        var proposals = await subscriptions.OpenRenewalsAsync(ct);
        logger.LogInformation("Subscriptions daily run: {Rolled} periods ended, {Granted} allowances granted, {Expired} grants expired, {Proposals} renewal proposals sent",
            rolled, granted, expired, proposals);
    }
}
