using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Credits;

/// <summary>
/// What a credit is worth in pounds to a school, for showing beside credits: its LA's credit price, and
/// what the school pays for an extra credit at its tier (the tier's discount, by <see cref="TierDiscount"/>,
/// as <see cref="QuoteCreditPurchase"/> prices a purchase).
/// </summary>
public static class GetCreditValue
{
    public sealed record Query(int Urn) : IQuery<Result>;

    public sealed record Result(long CreditPricePence, Tier? Tier, int DiscountBasisPoints, long DiscountedPricePence)
    {
        /// <summary>Credits in pounds at the LA's price: what they stand for, whatever the school paid.</summary>
        public long ValueOf(long credits) => checked(credits * CreditPricePence);

        public bool Discounted => DiscountBasisPoints > 0;
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var school = await Access.SchoolAsync(db, user, request.Urn, ct);
            var today = clock.Today();
            var price = await db.LocalAuthorities.AsNoTracking().Where(l => l.Id == school.LocalAuthorityId).Select(l => l.CreditPricePence).SingleAsync(ct);
            var package = await db.Subscriptions.AsNoTracking()
                .Where(x => x.SchoolId == school.Id && x.Status == SubscriptionStatus.Active && x.StartsOn <= today && x.PeriodEnd >= today)
                .Join(db.TierPackages, x => x.PackageId, p => p.Id, (x, p) => new { x.Tier, p.DiscountBasisPoints })
                .FirstOrDefaultAsync(ct);
            var discount = package?.DiscountBasisPoints ?? 0;
            return new Result(price, package?.Tier, discount, TierDiscount.Apply(price, discount));
        }
    }
}
