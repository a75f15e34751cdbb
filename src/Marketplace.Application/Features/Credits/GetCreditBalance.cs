using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Credits;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Credits;

/// <summary>A school's usable credits, by source and by expiry date.</summary>
public static class GetCreditBalance
{
    public sealed record Query(int Urn) : IQuery<Result>;

    public sealed record SourceTotal(CreditSource Source, long Credits);

    public sealed record ExpiringCredits(CreditSource Source, DateOnly ExpiresOn, long Credits);

    public sealed record Result(int Urn, long Balance, IReadOnlyList<SourceTotal> BySource, IReadOnlyList<ExpiringCredits> ByExpiry);

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var school = await db.Schools.AsNoTracking().Where(s => s.Urn == request.Urn)
                .Select(s => new { s.Id, s.LocalAuthorityId })
                .SingleOrDefaultAsync(ct) ?? throw new NotFoundException("School", request.Urn);
            if (!user.IsAdmin() && !user.IsBuyerFor(school.Id) && !user.IsCommissionerOf(school.LocalAuthorityId))
                throw new NotFoundException("School", request.Urn);

            var today = clock.Today();
            var grants = await db.CreditGrants.AsNoTracking()
                .Where(g => g.SchoolId == school.Id && g.Remaining > 0 && g.ExpiresOn >= today)
                .GroupBy(g => new { g.Source, g.ExpiresOn })
                .Select(g => new ExpiringCredits(g.Key.Source, g.Key.ExpiresOn, g.Sum(x => (long)x.Remaining)))
                .ToListAsync(ct);
            var byExpiry = grants.OrderBy(g => g.ExpiresOn).ThenBy(g => g.Source).ToList();
            var bySource = grants.GroupBy(g => g.Source).OrderBy(g => g.Key)
                .Select(g => new SourceTotal(g.Key, g.Sum(x => x.Credits))).ToList();
            return new Result(request.Urn, bySource.Sum(s => s.Credits), bySource, byExpiry);
        }
    }
}
