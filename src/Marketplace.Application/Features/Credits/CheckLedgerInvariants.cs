using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Marketplace.Application.Features.Credits;

/// <summary>
/// Checks the ledger's invariants against what the database holds (nightly, and on demand by a platform
/// admin) and keeps the result, so admins see the last check. A breach is logged as an error: it means
/// money moved outside the rules and someone must look before the next invoice run.
/// </summary>
public static class CheckLedgerInvariants
{
    public const string Nightly = "nightly";
    public const string OnDemand = "admin";

    public sealed record Command(string Trigger) : ICommand<Result>;

    public sealed record Result(Guid CheckId, DateTimeOffset CheckedAt, IReadOnlyList<string> Violations)
    {
        public bool Breached => Violations.Count > 0;
    }

    public sealed class Handler(MarketplaceDbContext db, TimeProvider clock, ILogger<Handler> logger) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var violations = await LedgerInvariants.ViolationsAsync(db, ct);
            var now = clock.GetUtcNow();
            // PostgreSQL keeps microseconds: the result answers with the instant as it is stored.
            var check = new LedgerCheck(Guid.CreateVersion7(), now.AddTicks(-(now.Ticks % 10)), request.Trigger, [.. violations]);
            db.LedgerChecks.Add(check);
            await db.SaveChangesAsync(ct);
            if (check.Breached)
                logger.LogError("Ledger invariants breached ({Trigger} check {CheckId}): {Count} violations; first: {First}",
                    request.Trigger, check.Id, violations.Count, violations[0]);
            else
                logger.LogInformation("Ledger invariants hold ({Trigger} check {CheckId})", request.Trigger, check.Id);
            return new Result(check.Id, check.CheckedAt, violations);
        }
    }
}
