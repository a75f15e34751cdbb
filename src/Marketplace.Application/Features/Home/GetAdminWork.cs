using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Home;

/// <summary>
/// What waits for a platform admin on the home page: mail that has not gone out although it was tried (the
/// messages ListUndeliveredMail lists, with how many were given up on) and failed background jobs.
/// </summary>
public static class GetAdminWork
{
    public sealed record Query : IQuery<Result>;

    public sealed record Result(int UndeliveredMail, int MailGivenUp, long FailedJobs);

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, IJobMonitor jobs) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            if (!user.IsAdmin()) throw new ForbiddenException("Only platform admins can see failed mail and jobs.");
            var undelivered = db.OutboxMessages.AsNoTracking().Where(m => m.SentAt == null && m.Attempts > 0);
            var counts = await undelivered.GroupBy(_ => 1)
                .Select(g => new { All = g.Count(), GivenUp = g.Count(m => m.FailedAt != null) }).SingleOrDefaultAsync(ct);
            return new Result(counts?.All ?? 0, counts?.GivenUp ?? 0, jobs.FailedJobs());
        }
    }
}
