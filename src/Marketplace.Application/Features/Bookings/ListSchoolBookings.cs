using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Bookings;

/// <summary>A school's bookings, newest first (its buyers, its LA's commissioners, admins).</summary>
public static class ListSchoolBookings
{
    public sealed record Query(int Urn) : IQuery<IReadOnlyList<BookingSummary>>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, IReadOnlyList<BookingSummary>>
    {
        public async ValueTask<IReadOnlyList<BookingSummary>> Handle(Query request, CancellationToken ct)
        {
            var school = await Access.SchoolAsync(db, user, request.Urn, ct);
            var rows = await db.Bookings.AsNoTracking().Where(b => b.SchoolId == school.Id).OrderByDescending(b => b.RequestedAt).Take(500)
                .Select(b => new
                {
                    b.Id, b.Reference, Title = db.OfferVersions.Where(v => v.Id == b.OfferVersionId).Select(v => v.Title).Single(),
                    Provider = db.Providers.Where(p => p.Id == b.ProviderId).Select(p => p.Name).Single(),
                    b.Quantity, b.Unit, b.TotalCredits, b.Status, b.ConfirmedDates, b.RequestedAt,
                }).ToListAsync(ct);
            return rows.Select(r => new BookingSummary(r.Id, r.Reference, r.Title, r.Provider, r.Quantity, r.Unit, r.TotalCredits, r.Status, r.ConfirmedDates, r.RequestedAt)).ToList();
        }
    }
}
