using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Catalogue;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Offers;

/// <summary>A provider's own offers in every state.</summary>
public static class ListProviderOffers
{
    public sealed record Query(Guid ProviderId) : IQuery<IReadOnlyList<ManagedOffer>>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, IReadOnlyList<ManagedOffer>>
    {
        public async ValueTask<IReadOnlyList<ManagedOffer>> Handle(Query request, CancellationToken ct)
        {
            var laId = await db.Providers.Where(p => p.Id == request.ProviderId).Select(p => (Guid?)p.LocalAuthorityId)
                .SingleOrDefaultAsync(ct) ?? throw new NotFoundException("Provider", request.ProviderId);
            if (!OfferAccess.CanSeeUnpublished(user, request.ProviderId, laId))
                throw new ForbiddenException("You can only list the offers of your own organisation.");

            // A provider's list is short: order it here rather than in SQL over the projected record.
            var offers = await Managed(db, db.Offers.Where(o => o.ProviderId == request.ProviderId)).ToListAsync(ct);
            return offers.OrderBy(o => o.Status).ThenBy(o => o.Title, StringComparer.CurrentCultureIgnoreCase).ToList();
        }
    }

    internal static IQueryable<ManagedOffer> Managed(MarketplaceDbContext db, IQueryable<Offer> offers) =>
        from o in offers.AsNoTracking()
        join v in db.OfferVersions on o.CurrentVersionId equals v.Id
        join p in db.Providers on o.ProviderId equals p.Id
        select new ManagedOffer(o.Id, v.Title, o.Status, v.Number, o.PublishedVersionId != null && o.Status != OfferStatus.Withdrawn,
            v.Category, v.Subject, v.PriceCredits, p.Name, o.RejectionReason, o.UpdatedAt, v.SubmittedAt);
}
