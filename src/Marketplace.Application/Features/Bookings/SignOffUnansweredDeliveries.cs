using Marketplace.Application.Behaviours;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Application.Features.Bookings;

/// <summary>
/// Signs off delivered bookings the school has not answered within its LA's number of working days
/// (the nightly bookings job sends this). A batch: each booking is signed off and settled by
/// <see cref="SignOffUnansweredDelivery"/> in a scope and transaction of its own, under the row version,
/// and every ledger step is keyed by the booking, so a rerun (or a run racing the school's own sign-off)
/// settles nothing twice. Answers how many were signed off.
/// </summary>
public static class SignOffUnansweredDeliveries
{
    public sealed record Command : ICommand<int>, IBatchCommand;

    public sealed class Handler(MarketplaceDbContext db, IServiceScopeFactory scopes, TimeProvider clock) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command request, CancellationToken ct)
        {
            var today = clock.Today();
            // Oldest delivery first, so a run stopped by a failing item has settled the ones longest waiting.
            var candidates = await db.Bookings.AsNoTracking().Where(b => b.Status == BookingStatus.Delivered)
                .Join(db.LocalAuthorities, b => b.SellerLaId, l => l.Id, (b, l) => new { b.Id, b.DeliveredAt, l.AutoSignOffWorkingDays })
                .OrderBy(x => x.DeliveredAt).ThenBy(x => x.Id)
                .ToListAsync(ct);
            var signed = 0;
            foreach (var c in candidates)
            {
                var delivered = UkClock.DateOf(c.DeliveredAt!.Value);
                if (WorkingDays.Between(delivered, today) < c.AutoSignOffWorkingDays) continue;
                if (await scopes.SendInOwnScopeAsync(new SignOffUnansweredDelivery.Command(c.Id, c.AutoSignOffWorkingDays), ct)) signed++;
            }
            return signed;
        }
    }
}
