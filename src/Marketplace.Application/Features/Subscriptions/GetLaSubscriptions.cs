using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Subscriptions;

public enum RenewalState { NotYetDue, ProposalSent, Confirmed, Declined, NoticeGiven, RenewedByDefault }

public sealed record LaSchoolRow(int Urn, string Name, Phase Phase, SchoolType Type, int PupilsOnRoll, Tier? Tier, string? PeriodLabel, DateOnly? PeriodEnd,
    RenewalState? Renewal, Tier? RenewsAt, OfstedGrade? OfstedGrade, bool AtRisk, EnrolmentStatus? Concern);

public sealed record TierCount(Tier Tier, int Schools);

public sealed record LaSubscriptionOverview(int Code, string Name, int Schools, int Subscribed, decimal BuyBackRatePercent, IReadOnlyList<TierCount> TierMix,
    IReadOnlyDictionary<RenewalState, int> Renewals, int CausingConcern, int EnrolledAtGold, long AnnualFeesPence, IReadOnlyList<LaSchoolRow> SchoolRows);

/// <summary>An LA's subscriptions: tier mix, buy-back rate (share of its schools subscribed now), renewals and schools causing concern.</summary>
public static class GetLaSubscriptions
{
    public sealed record Query(int Code) : IQuery<LaSubscriptionOverview>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, LaSubscriptionOverview>
    {
        public async ValueTask<LaSubscriptionOverview> Handle(Query request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var today = clock.Today();
            var schools = await db.Schools.AsNoTracking().Where(s => s.LocalAuthorityId == la.Id).OrderBy(s => s.Name).ToListAsync(ct);
            var subs = await db.Subscriptions.AsNoTracking()
                .Where(s => s.LocalAuthorityId == la.Id && s.Status == SubscriptionStatus.Active && s.StartsOn <= today && s.PeriodEnd >= today)
                .ToDictionaryAsync(s => s.SchoolId, ct);
            var subIds = subs.Values.Select(s => s.Id).ToList();
            var proposals = await db.RenewalProposals.AsNoTracking().Where(p => subIds.Contains(p.SubscriptionId)).ToDictionaryAsync(p => p.SubscriptionId, ct);
            var atRisk = (await db.RiskFlags.AsNoTracking().Where(f => f.ClearedAt == null && schools.Select(s => s.Id).Contains(f.SchoolId))
                .Select(f => f.SchoolId).ToListAsync(ct)).ToHashSet();
            var enrolments = await db.ConcernEnrolments.AsNoTracking()
                .Where(e => e.LocalAuthorityId == la.Id && (e.Status == EnrolmentStatus.Active || e.Status == EnrolmentStatus.Exiting || e.Status == EnrolmentStatus.Overridden))
                .ToDictionaryAsync(e => e.SchoolId, ct);

            var rows = schools.Select(s =>
            {
                subs.TryGetValue(s.Id, out var sub);
                RenewalState? renewal = sub is null ? null
                    : sub.EndsOn is not null ? RenewalState.NoticeGiven
                    : proposals.TryGetValue(sub.Id, out var p) ? p.Status switch
                    {
                        RenewalStatus.Open => RenewalState.ProposalSent,
                        RenewalStatus.Confirmed => RenewalState.Confirmed,
                        RenewalStatus.Declined => RenewalState.Declined,
                        _ => RenewalState.RenewedByDefault,
                    }
                    : RenewalState.NotYetDue;
                return new LaSchoolRow(s.Urn, s.Name, s.Phase, s.Type, s.PupilsOnRoll, sub?.Tier, sub?.Period.Label, sub?.PeriodEnd, renewal,
                    sub is null || sub.EndsOn is not null ? null : sub.RenewalTier, s.OfstedGrade, atRisk.Contains(s.Id),
                    enrolments.TryGetValue(s.Id, out var e) ? e.Status : null);
            }).ToList();

            var causing = rows.Count(r => r.OfstedGrade is OfstedGrade.RequiresImprovement or OfstedGrade.Inadequate || r.AtRisk);
            return new LaSubscriptionOverview(la.Code, la.Name, schools.Count, subs.Count,
                schools.Count == 0 ? 0 : Math.Round(100m * subs.Count / schools.Count, 1),
                Enum.GetValues<Tier>().Select(t => new TierCount(t, subs.Values.Count(s => s.Tier == t))).ToList(),
                Enum.GetValues<RenewalState>().ToDictionary(r => r, r => rows.Count(x => x.Renewal == r)),
                causing, rows.Count(r => r.Concern is EnrolmentStatus.Active or EnrolmentStatus.Exiting), subs.Values.Sum(s => s.FeePence), rows);
        }
    }
}
