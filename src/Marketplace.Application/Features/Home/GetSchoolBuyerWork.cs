using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Home;

/// <summary>
/// What waits for the signed-in school buyer on the home page: deliveries to sign off, requests the provider has
/// not answered, an open renewal proposal, credits expiring in the next 60 days, the balance, and (for the school's
/// approvers) credit purchase requests waiting for them.
/// </summary>
public static class GetSchoolBuyerWork
{
    /// <summary>Credits expiring within this many days are called out.</summary>
    public const int ExpiryWindowDays = 60;

    public sealed record Query : IQuery<Result>;

    public sealed record Renewal(string NextPeriodLabel, Tier ProposedTier, long ProposedFeePence);

    public sealed record Result(string SchoolName, WorkList<WorkBooking> ToSignOff, WorkList<WorkBooking> AwaitingProvider, Renewal? RenewalDue,
        long CreditsExpiringSoon, DateOnly? FirstExpiry, long Balance, int PurchaseRequestsToApprove = 0);

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            if (!user.IsInRole(Roles.SchoolBuyer) || user.SchoolId is not Guid schoolId)
                throw new ForbiddenException("Only a school's buyers can see its work.");
            var school = await db.Schools.AsNoTracking().Where(s => s.Id == schoolId).Select(s => new { s.Id, s.Name }).SingleAsync(ct);
            var today = clock.Today();

            var toSignOff = await ListAsync(db.Bookings.Where(b => b.SchoolId == school.Id && b.Status == BookingStatus.Delivered), ct);
            var awaiting = await ListAsync(db.Bookings.Where(b => b.SchoolId == school.Id && b.Status == BookingStatus.Requested), ct);

            var renewal = await db.RenewalProposals.AsNoTracking()
                .Where(p => p.Status == RenewalStatus.Open && db.Subscriptions.Any(s => s.Id == p.SubscriptionId && s.SchoolId == school.Id
                    && s.Status == SubscriptionStatus.Active && s.StartsOn <= today && s.PeriodEnd >= today))
                .ToListAsync(ct);

            // The same usable credits GetCreditBalance counts: grants with something left that have not expired.
            var grants = await db.CreditGrants.AsNoTracking().Where(g => g.SchoolId == school.Id && g.Remaining > 0 && g.ExpiresOn >= today)
                .GroupBy(g => g.ExpiresOn).Select(g => new { ExpiresOn = g.Key, Credits = g.Sum(x => (long)x.Remaining) }).ToListAsync(ct);
            var soon = grants.Where(g => g.ExpiresOn <= today.AddDays(ExpiryWindowDays)).ToList();

            var toApprove = Features.Credits.ListCreditPurchaseRequests.MayApprove(user, school.Id)
                ? await db.CreditPurchaseRequests.CountAsync(r => r.SchoolId == school.Id && r.Status == Domain.Credits.PurchaseRequestStatus.Pending, ct)
                : 0;

            var proposal = renewal.FirstOrDefault();
            return new Result(school.Name, toSignOff, awaiting,
                proposal is null ? null : new Renewal(proposal.NextPeriod.Label, proposal.ProposedTier, proposal.ProposedFeePence),
                soon.Sum(g => g.Credits), soon.Count == 0 ? null : soon.Min(g => g.ExpiresOn), grants.Sum(g => g.Credits), toApprove);
        }

        private async Task<WorkList<WorkBooking>> ListAsync(IQueryable<Booking> bookings, CancellationToken ct)
        {
            var count = await bookings.CountAsync(ct);
            var first = await bookings.AsNoTracking().OrderBy(b => b.RequestedAt).Take(WorkList<WorkBooking>.Shown)
                .Select(b => new
                {
                    b.Id, b.Reference, Title = db.OfferVersions.Where(v => v.Id == b.OfferVersionId).Select(v => v.Title).Single(),
                    Provider = db.Providers.Where(p => p.Id == b.ProviderId).Select(p => p.Name).Single(), b.ConfirmedDates,
                }).ToListAsync(ct);
            return new WorkList<WorkBooking>(count, first.Select(b => new WorkBooking(b.Id, b.Reference, b.Title, b.Provider,
                b.ConfirmedDates.Count == 0 ? null : b.ConfirmedDates.Max())).ToList());
        }
    }
}
