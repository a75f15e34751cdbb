using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;

namespace Marketplace.Application.Features.Bookings;

public static class GetBooking
{
    public sealed record Query(Guid Id) : IQuery<BookingView>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, BookingView>
    {
        public async ValueTask<BookingView> Handle(Query request, CancellationToken ct)
        {
            await BookingAccess.FindAsync(db, user, request.Id, ct);
            return await BookingAccess.ViewAsync(db, request.Id, ct);
        }
    }
}
