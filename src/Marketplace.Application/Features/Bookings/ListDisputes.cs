using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Bookings;

/// <summary>The LA's disputes: open ones first (oldest first), then those resolved in the last 90 days.</summary>
public static class ListDisputes
{
    public sealed record Query(int LaCode) : IQuery<IReadOnlyList<DisputeSummary>>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, IReadOnlyList<DisputeSummary>>
    {
        public async ValueTask<IReadOnlyList<DisputeSummary>> Handle(Query request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.LaCode, ct);
            var since = clock.GetUtcNow().AddDays(-90);
            var rows = await db.Bookings.AsNoTracking()
                .Where(b => b.SellerLaId == la.Id && (b.Status == BookingStatus.Disputed
                    || (b.Status == BookingStatus.Resolved && b.Events.Any(e => e.Kind == BookingEventKind.DisputeResolved && e.At >= since))))
                .Select(b => new
                {
                    b.Id, b.Reference, b.Status, b.Quantity, b.Unit, b.DeliveredQuantity, b.DeliveredDates, b.VisitNote, b.DisputeReason, b.ChargedQuantity, b.ResolutionNote,
                    School = db.Schools.Where(s => s.Id == b.SchoolId).Select(s => new { s.Urn, s.Name }).Single(),
                    Provider = db.Providers.Where(p => p.Id == b.ProviderId).Select(p => p.Name).Single(),
                    Title = db.OfferVersions.Where(v => v.Id == b.OfferVersionId).Select(v => v.Title).Single(),
                    DisputedAt = b.Events.Where(e => e.Kind == BookingEventKind.Disputed).Max(e => (DateTimeOffset?)e.At),
                }).ToListAsync(ct);
            return rows.OrderBy(r => r.Status == BookingStatus.Disputed ? 0 : 1).ThenBy(r => r.DisputedAt)
                .Select(r => new DisputeSummary(r.Id, r.Reference, r.School.Urn, r.School.Name, r.Provider, r.Title, r.Quantity, r.Unit, r.DeliveredQuantity,
                    r.DeliveredDates, r.VisitNote, r.DisputeReason, r.DisputedAt, r.Status, r.ChargedQuantity, r.ResolutionNote)).ToList();
        }
    }
}
