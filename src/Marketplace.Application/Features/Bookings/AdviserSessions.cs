using Marketplace.Application.Data;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Bookings;

/// <summary>Included adviser sessions a school has used (or holds on open bookings) in a subscription period.</summary>
public static class AdviserSessions
{
    public static Task<int> UsedAsync(MarketplaceDbContext db, Guid schoolId, DateOnly periodStart, CancellationToken ct) =>
        db.Bookings.Where(b => b.SchoolId == schoolId && b.SessionSubscriptionId != null
                && db.Subscriptions.Any(s => s.Id == b.SessionSubscriptionId && s.PeriodStart == periodStart))
            .SumAsync(b => b.SessionsCounted, ct);
}
