using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.LocalAuthorities;

/// <summary>LAs are public bodies: their names, codes and published credit price are public.</summary>
public static class ListLocalAuthorities
{
    public sealed record Query : IQuery<IReadOnlyList<LocalAuthorityView>>;

    public sealed class Handler(MarketplaceDbContext db) : IQueryHandler<Query, IReadOnlyList<LocalAuthorityView>>
    {
        public async ValueTask<IReadOnlyList<LocalAuthorityView>> Handle(Query request, CancellationToken ct) =>
            await Project(db, db.LocalAuthorities.OrderBy(l => l.Name)).ToListAsync(ct);
    }

    internal static IQueryable<LocalAuthorityView> Project(MarketplaceDbContext db, IQueryable<Domain.Organisations.LocalAuthority> las) =>
        las.AsNoTracking().Select(l => new LocalAuthorityView(l.Id, l.Code, l.Name, l.TradingName, l.CreditPricePence,
            db.Schools.Count(s => s.LocalAuthorityId == l.Id), db.Providers.Count(p => p.LocalAuthorityId == l.Id)));
}
