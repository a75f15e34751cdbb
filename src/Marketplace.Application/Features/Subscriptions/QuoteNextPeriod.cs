using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>
/// What next period would cost and include at a tier, beside this period's package, before the school commits to a
/// downgrade (<see cref="ScheduleDowngrade"/>) or confirms its renewal (<see cref="ConfirmRenewal"/>). The fee is the
/// package's <see cref="TierPackage.FeeFor"/> at today's pupil numbers, the rule a new period is charged by. The same
/// refusals as the commands are met first. Nothing is saved. Buyers who may commit spend only.
/// </summary>
public static class QuoteNextPeriod
{
    /// <param name="Tier">The tier asked for; for a renewal, null means the proposed tier.</param>
    /// <param name="Renewal">Quote the renewal proposal's next period (true) or a downgrade from the end of this period (false).</param>
    public sealed record Query(int Urn, string? Tier, bool Renewal) : IQuery<Result>;

    public sealed record Package(Tier Tier, long FeePence, int CreditsIncluded, int DiscountBasisPoints, int AdviserSessions, bool NamedLinkAdviser,
        bool SystemLeaderAccess, bool PriorityBooking);

    /// <param name="PricesPublished">False when the LA has not yet published next period's packages: this period's prices are shown.</param>
    public sealed record Result(int Urn, string NextPeriodLabel, DateOnly NextPeriodStart, Package Current, Package Next, bool PricesPublished,
        long CreditPricePence)
    {
        public long FeeChangePence => Next.FeePence - Current.FeePence;
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(x => x.Tier).MustBeTier().When(x => !x.Renewal || x.Tier is not null);
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var school = await Access.SchoolToCommitAsync(db, user, request.Urn, ct);
            var today = clock.Today();
            Subscription current;
            Tier tier;
            Period next;
            TierPackage? package;
            if (request.Renewal)
            {
                (current, var proposal, var concern) = await RenewalAnswer.LoadAsync(db, school, today, ct);
                tier = request.Tier is null ? proposal.ProposedTier : TierRules.ParseTier(request.Tier);
                RenewalAnswer.RenewAtGoldWhileConcern(concern, tier);
                next = proposal.NextPeriod;
                package = await db.TierPackageAsync(current.LocalAuthorityId, TierPackage.YearOf(next), tier, ct);
            }
            else
            {
                current = await db.RequireCurrentSubscriptionAsync(school, today, ct);
                await db.RefuseWhileEnrolledAtGoldAsync(current, ScheduleDowngrade.StaysAtGold, ct);
                tier = TierRules.ParseTier(request.Tier);
                current.EnsureCanDowngradeTo(tier, today);
                var start = current.PeriodEnd.AddDays(1);
                next = new Period(start, start.AddYears(1).AddDays(-1));
                package = await db.TierPackages.AsNoTracking()
                    .SingleOrDefaultAsync(p => p.LocalAuthorityId == current.LocalAuthorityId && p.Year == TierPackage.YearOf(next) && p.Tier == tier, ct);
            }
            var published = package is not null;
            package ??= await db.TierPackageAsync(current.LocalAuthorityId, TierPackage.YearOf(current.Period), tier, ct);
            var now = await db.TierPackages.AsNoTracking().SingleAsync(p => p.Id == current.PackageId, ct);
            var creditPrice = await db.LocalAuthorities.Where(l => l.Id == school.LocalAuthorityId).Select(l => l.CreditPricePence).SingleAsync(ct);
            return new Result(request.Urn, next.Label, next.Start, Of(now, current.FeePence), Of(package, package.FeeFor(school.PupilsOnRoll)), published, creditPrice);
        }

        private static Package Of(TierPackage p, long fee) => new(p.Tier, fee, p.CreditsIncluded, p.DiscountBasisPoints, p.AdviserSessions,
            p.NamedLinkAdviser, p.SystemLeaderAccess, p.PriorityBooking);
    }
}
