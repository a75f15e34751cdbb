using Hangfire;
using Marketplace.Application.Features.Credits;
using Mediator;

namespace Marketplace.Web.Jobs;

/// <summary>The nightly ledger invariants check (Hangfire recurring job "ledger-invariants", 03:00 UK time).</summary>
public sealed class LedgerJobs(IMediator mediator)
{
    public const string RecurringJobId = "ledger-invariants";
    public const string Schedule = "0 3 * * *";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 1)]
    public async Task CheckAsync(CancellationToken ct) =>
        await mediator.Send(new CheckLedgerInvariants.Command(CheckLedgerInvariants.Nightly), ct);
}
