using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Catalogue;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Offers;

/// <summary>
/// Who may see and change an offer. Anyone may see a listed (published) offer; its provider, the
/// provider's home LA commissioners and platform admins may see it in any state. An offer the caller
/// may not see is "not found" (404) so that other tenants' drafts can't be probed; one they can see
/// but not change is "forbidden" (403).
/// </summary>
internal static class OfferAccess
{
    public static bool CanManage(ICurrentUser user, Guid providerId) =>
        user.IsAdmin() || user.IsProviderUserOf(providerId);

    public static bool CanApprove(ICurrentUser user, Guid providerLaId) =>
        user.IsAdmin() || user.IsCommissionerOf(providerLaId);

    public static bool CanSeeUnpublished(ICurrentUser user, Guid providerId, Guid providerLaId) =>
        CanManage(user, providerId) || CanApprove(user, providerLaId);

    public sealed record Loaded(Offer Offer, Guid ProviderLaId);

    /// <summary>Loads an offer with its versions for a change, applying the 404/403 rule.</summary>
    public static async Task<Loaded> LoadForChangeAsync(MarketplaceDbContext db, ICurrentUser user, Guid offerId,
        Func<Guid, Guid, bool> mayChange, string action, CancellationToken ct)
    {
        var offer = await db.Offers
            .Include(o => o.Versions)
            .FirstOrDefaultAsync(o => o.Id == offerId, ct)
            ?? throw new NotFoundException("Offer", offerId);
        var providerLaId = await db.Providers.Where(p => p.Id == offer.ProviderId)
            .Select(p => p.LocalAuthorityId).SingleAsync(ct);

        if (!mayChange(offer.ProviderId, providerLaId))
        {
            if (!offer.IsListed && !CanSeeUnpublished(user, offer.ProviderId, providerLaId))
                throw new NotFoundException("Offer", offerId);
            throw new ForbiddenException($"You can't {action} this offer.");
        }

        return new Loaded(offer, providerLaId);
    }

    public static void ExpectRowVersion(MarketplaceDbContext db, Offer offer, uint? rowVersion)
    {
        // The client's copy of xmin becomes the original value, so a write based on a stale read is
        // refused by PostgreSQL's row version check rather than silently overwriting.
        if (rowVersion is { } expected)
            db.Entry(offer).Property(o => o.RowVersion).OriginalValue = expected;
    }
}
