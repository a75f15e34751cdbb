using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Catalogue;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Offers;

/// <summary>The LA's quality-assurance queue: offers of its providers awaiting approval, oldest first.</summary>
public static class ListApprovalQueue
{
    public sealed record Query(int LaCode) : IQuery<IReadOnlyList<ManagedOffer>>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, IReadOnlyList<ManagedOffer>>
    {
        public async ValueTask<IReadOnlyList<ManagedOffer>> Handle(Query request, CancellationToken ct)
        {
            var laId = await db.LocalAuthorities.Where(l => l.Code == request.LaCode).Select(l => (Guid?)l.Id)
                .SingleOrDefaultAsync(ct) ?? throw new NotFoundException("Local authority", request.LaCode);
            if (!OfferAccess.CanApprove(user, laId))
                throw new ForbiddenException("Only this local authority's commissioners can see its approval queue.");

            var offers = db.Offers.Where(o => o.Status == OfferStatus.AwaitingApproval
                && db.Providers.Any(p => p.Id == o.ProviderId && p.LocalAuthorityId == laId));
            var queue = await ListProviderOffers.Managed(db, offers).ToListAsync(ct);
            return queue.OrderBy(o => o.SubmittedAt).ThenBy(o => o.Title).ToList();
        }
    }
}
