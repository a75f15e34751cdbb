using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Bookings;

/// <summary>A provider's bookings, newest first (its own users and admins).</summary>
public static class ListProviderBookings
{
    public sealed record Query(Guid ProviderId) : IQuery<IReadOnlyList<ProviderBookingSummary>>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, IReadOnlyList<ProviderBookingSummary>>
    {
        public async ValueTask<IReadOnlyList<ProviderBookingSummary>> Handle(Query request, CancellationToken ct)
        {
            if (!user.IsAdmin() && !user.IsProviderUserOf(request.ProviderId)) throw new ForbiddenException("Only the provider can see its bookings.");
            var rows = await db.Bookings.AsNoTracking().Where(b => b.ProviderId == request.ProviderId).OrderByDescending(b => b.RequestedAt).Take(500)
                .Select(b => new
                {
                    b.Id, b.Reference, School = db.Schools.Where(s => s.Id == b.SchoolId).Select(s => s.Name).Single(),
                    Title = db.OfferVersions.Where(v => v.Id == b.OfferVersionId).Select(v => v.Title).Single(),
                    b.Quantity, b.Unit, b.TotalCredits, b.Status, b.PreferredDates, b.ConfirmedDates, b.RequestedAt,
                }).ToListAsync(ct);
            return rows.Select(r => new ProviderBookingSummary(r.Id, r.Reference, r.School, r.Title, r.Quantity, r.Unit, r.TotalCredits, r.Status,
                r.PreferredDates, r.ConfirmedDates, r.RequestedAt)).ToList();
        }
    }
}
