using Hangfire;
using Marketplace.Application.Features.Users;
using Mediator;

namespace Marketplace.Web.Jobs;

/// <summary>Nightly sign-in housekeeping (Hangfire recurring job "sign-in-housekeeping", 04:00 UK time).</summary>
public sealed class SecurityJobs(IMediator mediator)
{
    public const string RecurringJobId = "sign-in-housekeeping";
    public const string Schedule = "0 4 * * *";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 1)]
    public async Task ForgetStaleAsync(CancellationToken ct) => await mediator.Send(new ForgetStaleSignIns.Command(), ct);
}
