using Marketplace.Application.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Outbox;

/// <summary>
/// Messages that have not gone out although they were tried: those given up on (marked failed after
/// their tries) first, then those still being tried, newest first, each with why it failed, for
/// platform admins at /admin/mail.
/// </summary>
public static class ListUndeliveredMail
{
    public const int Limit = 100;

    public sealed record Query : IQuery<IReadOnlyList<Result>>;

    public sealed record Result(Guid Id, string ToName, string ToAddress, string Subject, DateTimeOffset QueuedAt, int Attempts,
        string Reason, DateTimeOffset? FailedAt)
    {
        public bool GivenUp => FailedAt is not null;
    }

    public sealed class Handler(MarketplaceDbContext db) : IQueryHandler<Query, IReadOnlyList<Result>>
    {
        public async ValueTask<IReadOnlyList<Result>> Handle(Query request, CancellationToken ct) =>
            await db.OutboxMessages.AsNoTracking()
                .Where(m => m.SentAt == null && m.Attempts > 0)
                .OrderBy(m => m.FailedAt == null).ThenByDescending(m => m.FailedAt).ThenByDescending(m => m.CreatedAt).ThenBy(m => m.Id)
                .Take(Limit)
                .Select(m => new Result(m.Id, m.ToName, m.ToAddress, m.Subject, m.CreatedAt, m.Attempts, m.LastError ?? "", m.FailedAt))
                .ToListAsync(ct);
    }
}
