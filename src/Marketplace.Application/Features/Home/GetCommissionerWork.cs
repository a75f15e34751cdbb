using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Home;

/// <summary>
/// What waits for the signed-in LA commissioner on the home page: offers awaiting approval, open disputes, schools
/// newly causing concern (an inadequate or requires-improvement grade or an open risk flag, with no gold enrolment
/// or override yet), renewal proposals the schools have not answered, and the buy-back rate (share of the LA's
/// schools subscribed now, as GetLaSubscriptions counts it).
/// </summary>
public static class GetCommissionerWork
{
    public sealed record Query : IQuery<Result>;

    public sealed record WorkOffer(Guid Id, string Title, string Provider);

    public sealed record WorkSchool(int Urn, string Name);

    public sealed record Result(string LaName, WorkList<WorkOffer> OffersAwaitingApproval, WorkList<WorkBooking> Disputes,
        WorkList<WorkSchool> NewlyCausingConcern, WorkList<WorkSchool> RenewalsOutstanding, int Schools, int Subscribed, decimal BuyBackRatePercent);

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, Result>
    {
        private const int Shown = WorkList<WorkBooking>.Shown;

        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            if (!user.IsInRole(Roles.LaCommissioner) || user.LocalAuthorityId is not Guid laId || !user.IsCommissionerOf(laId))
                throw new ForbiddenException("Only a local authority's commissioners can see its work.");
            var la = await db.LocalAuthorities.AsNoTracking().Where(l => l.Id == laId).Select(l => new { l.Id, l.Name }).SingleAsync(ct);
            var today = clock.Today();

            // The approval queue as ListApprovalQueue holds it.
            var offers = db.Offers.AsNoTracking().Where(o => o.Status == OfferStatus.AwaitingApproval
                && db.Providers.Any(p => p.Id == o.ProviderId && p.LocalAuthorityId == la.Id));
            var firstOffers = await Offers.ListProviderOffers.Managed(db, offers).ToListAsync(ct);
            var offerList = new WorkList<WorkOffer>(firstOffers.Count, firstOffers.OrderBy(o => o.SubmittedAt).ThenBy(o => o.Title).Take(Shown)
                .Select(o => new WorkOffer(o.Id, o.Title, o.ProviderName)).ToList());

            // Open disputes as ListDisputes lists them: the LA's providers' bookings, oldest dispute first.
            var disputed = db.Bookings.AsNoTracking().Where(b => b.SellerLaId == la.Id && b.Status == BookingStatus.Disputed);
            var disputeRows = await disputed
                .OrderBy(b => b.Events.Where(e => e.Kind == BookingEventKind.Disputed).Max(e => (DateTimeOffset?)e.At)).Take(Shown)
                .Select(b => new
                {
                    b.Id, b.Reference, Title = db.OfferVersions.Where(v => v.Id == b.OfferVersionId).Select(v => v.Title).Single(),
                    School = db.Schools.Where(s => s.Id == b.SchoolId).Select(s => s.Name).Single(),
                    DisputedAt = b.Events.Where(e => e.Kind == BookingEventKind.Disputed).Max(e => (DateTimeOffset?)e.At),
                }).ToListAsync(ct);
            var disputes = new WorkList<WorkBooking>(await disputed.CountAsync(ct), disputeRows
                .Select(d => new WorkBooking(d.Id, d.Reference, d.Title, d.School, d.DisputedAt is { } at ? UkClock.DateOf(at) : null)).ToList());

            var schools = db.Schools.AsNoTracking().Where(s => s.LocalAuthorityId == la.Id);
            var enrolled = db.ConcernEnrolments.Where(e => e.LocalAuthorityId == la.Id
                && (e.Status == EnrolmentStatus.Active || e.Status == EnrolmentStatus.Exiting || e.Status == EnrolmentStatus.Overridden));
            var newly = await schools
                .Where(s => (s.OfstedGrade == OfstedGrade.RequiresImprovement || s.OfstedGrade == OfstedGrade.Inadequate
                        || db.RiskFlags.Any(f => f.SchoolId == s.Id && f.ClearedAt == null))
                    && !enrolled.Any(e => e.SchoolId == s.Id))
                .OrderBy(s => s.Name).Select(s => new WorkSchool(s.Urn, s.Name)).ToListAsync(ct);

            var current = db.Subscriptions.Where(s => s.LocalAuthorityId == la.Id && s.Status == SubscriptionStatus.Active
                && s.StartsOn <= today && s.PeriodEnd >= today);
            var outstanding = await schools
                .Where(s => current.Any(c => c.SchoolId == s.Id && c.EndsOn == null
                    && db.RenewalProposals.Any(p => p.SubscriptionId == c.Id && p.Status == RenewalStatus.Open)))
                .OrderBy(s => s.Name).Select(s => new WorkSchool(s.Urn, s.Name)).ToListAsync(ct);

            var schoolCount = await schools.CountAsync(ct);
            var subscribed = await current.Select(s => s.SchoolId).Distinct().CountAsync(ct);
            return new Result(la.Name, offerList, disputes, Take(newly), Take(outstanding), schoolCount, subscribed,
                BuyBackRate(subscribed, schoolCount));
        }

        private static WorkList<WorkSchool> Take(List<WorkSchool> all) => new(all.Count, all.Take(Shown).ToList());
    }

    /// <summary>The share of schools subscribed, as a percentage to one decimal place (GetLaSubscriptions' rounding).</summary>
    public static decimal BuyBackRate(int subscribed, int schools) => schools == 0 ? 0 : Math.Round(100m * subscribed / schools, 1);
}
