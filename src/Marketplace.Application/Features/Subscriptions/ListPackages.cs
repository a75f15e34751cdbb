using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>An LA's tier packages, all years (its commissioners and admins).</summary>
public static class ListPackages
{
    public sealed record Query(int Code) : IQuery<IReadOnlyList<PackageView>>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, IReadOnlyList<PackageView>>
    {
        public async ValueTask<IReadOnlyList<PackageView>> Handle(Query request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var today = clock.Today();
            var packages = await db.TierPackages.AsNoTracking().Where(p => p.LocalAuthorityId == la.Id).ToListAsync(ct);
            return packages.OrderBy(p => p.Year).ThenBy(p => p.Tier).Select(p => GetSchoolSubscription.View(p, today)).ToList();
        }
    }
}
