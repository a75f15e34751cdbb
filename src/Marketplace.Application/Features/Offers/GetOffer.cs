using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Catalogue;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Offers;

public static class GetOffer
{
    /// <param name="PreferPublished">Show the published version even to the provider (the catalogue page).</param>
    public sealed record Query(Guid Id, bool PreferPublished = false) : IQuery<OfferDetail>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, OfferDetail>
    {
        public async ValueTask<OfferDetail> Handle(Query request, CancellationToken ct)
        {
            var head = await db.Offers.AsNoTracking()
                .Where(o => o.Id == request.Id)
                .Select(o => new
                {
                    Offer = o,
                    Provider = db.Providers.Where(p => p.Id == o.ProviderId)
                        .Select(p => new { p.Id, p.Name, p.Kind, p.LocalAuthorityId, LaCode = p.LocalAuthority!.Code, LaName = p.LocalAuthority.Name })
                        .Single(),
                })
                .SingleOrDefaultAsync(ct) ?? throw new NotFoundException("Offer", request.Id);

            var offer = head.Offer;
            var privileged = OfferAccess.CanSeeUnpublished(user, offer.ProviderId, head.Provider.LocalAuthorityId);
            if (!privileged && !offer.IsListed) throw new NotFoundException("Offer", request.Id);

            var versionId = privileged && !(request.PreferPublished && offer.IsListed)
                ? offer.CurrentVersionId
                : offer.PublishedVersionId!.Value;
            var v = await db.OfferVersions.AsNoTracking().SingleAsync(x => x.Id == versionId, ct);
            int? publishedNumber = offer.PublishedVersionId is { } pid
                ? await db.OfferVersions.Where(x => x.Id == pid).Select(x => (int?)x.Number).SingleAsync(ct)
                : null;

            return new OfferDetail(offer.Id, privileged ? offer.Status : OfferStatus.Published, v.Number, v.Id, v.Title,
                v.Description, v.Category, v.Subject, OfferViewMapping.PhaseNames(v.Phases), v.Unit, v.PricePence,
                v.PriceCredits, new TierPrices(v.BronzeCredits, v.SilverCredits, v.GoldCredits), v.ServiceStandards,
                new OfferProvider(head.Provider.Id, head.Provider.Name, head.Provider.Kind, head.Provider.LaCode, head.Provider.LaName),
                offer.IsListed, publishedNumber, privileged ? offer.RejectionReason : null,
                offer.UpdatedAt)
            {
                RowVersion = privileged ? offer.RowVersion : null,
                Terms = new OfferBookingTerms(v.FreeCancellationWorkingDays, v.LateCancellationPercent, v.PayAsYouUse, v.UsesAdviserSessions, v.DeliveredInSchoolHolidays),
            };
        }
    }
}
