using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;

namespace Marketplace.Application.Features.Bookings;

/// <summary>A school's booking settings (whether every booking needs a purchase-order number); its buyers read them.</summary>
public static class GetBookingSettings
{
    public sealed record Query(int Urn) : IQuery<SchoolBookingSettings>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, SchoolBookingSettings>
    {
        public async ValueTask<SchoolBookingSettings> Handle(Query request, CancellationToken ct)
        {
            var school = await Access.SchoolAsync(db, user, request.Urn, ct);
            return new(school.Urn, school.RequiresPurchaseOrder);
        }
    }
}
