using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.LocalAuthorities;

/// <summary>One local authority by its three-digit code (public).</summary>
public static class GetLocalAuthority
{
    public sealed record Query(int Code) : IQuery<LocalAuthorityView>;

    public sealed class Handler(MarketplaceDbContext db) : IQueryHandler<Query, LocalAuthorityView>
    {
        public async ValueTask<LocalAuthorityView> Handle(Query request, CancellationToken ct) =>
            await ListLocalAuthorities.Project(db, db.LocalAuthorities.Where(l => l.Code == request.Code))
                .SingleOrDefaultAsync(ct) ?? throw new NotFoundException("Local authority", request.Code);
    }
}
