using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Concern;

public sealed record AuditView(DateTimeOffset At, string Actor, int? Urn, string? School, string Action, string Detail, string? Reason);

/// <summary>The LA's audit trail, newest first, optionally for one school.</summary>
public static class GetAuditTrail
{
    public sealed record Query(int Code, int? Urn, int Page = 1, int PageSize = 50) : IQuery<IReadOnlyList<AuditView>>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, IReadOnlyList<AuditView>>
    {
        public async ValueTask<IReadOnlyList<AuditView>> Handle(Query request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var q = db.AuditEvents.AsNoTracking().Where(a => a.LocalAuthorityId == la.Id);
            if (request.Urn is { } urn)
            {
                var school = await Access.SchoolOfLaAsync(db, la, urn, ct);
                q = q.Where(a => a.SchoolId == school.Id);
            }
            var size = Math.Clamp(request.PageSize, 1, 200);
            var page = Math.Max(1, request.Page);
            var rows = await q.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Skip((page - 1) * size).Take(size)
                .Select(a => new { a.At, a.ActorName, a.SchoolId, a.Action, a.Detail, a.Reason }).ToListAsync(ct);
            var schoolIds = rows.Where(r => r.SchoolId != null).Select(r => r.SchoolId!.Value).Distinct().ToList();
            var names = await db.Schools.AsNoTracking().Where(s => schoolIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => (s.Urn, s.Name), ct);
            return rows.Select(r => new AuditView(r.At, r.ActorName, r.SchoolId is { } id ? names[id].Urn : null, r.SchoolId is { } id2 ? names[id2].Name : null,
                r.Action, r.Detail, r.Reason)).ToList();
        }
    }
}
