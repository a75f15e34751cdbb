using Marketplace.Application.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Credits;

/// <summary>The most recent ledger invariants check (null before the first), for platform admins.</summary>
public static class GetLastLedgerCheck
{
    public sealed record Query : IQuery<Result?>;

    public sealed record Result(DateTimeOffset CheckedAt, string Trigger, IReadOnlyList<string> Violations)
    {
        public bool Breached => Violations.Count > 0;
    }

    public sealed class Handler(MarketplaceDbContext db) : IQueryHandler<Query, Result?>
    {
        public async ValueTask<Result?> Handle(Query request, CancellationToken ct) =>
            await db.LedgerChecks.AsNoTracking().OrderByDescending(c => c.CheckedAt).ThenByDescending(c => c.Id)
                .Select(c => new Result(c.CheckedAt, c.Trigger, c.Violations)).FirstOrDefaultAsync(ct);
    }
}
