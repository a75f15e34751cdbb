using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Organisations;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Concern;

public sealed record ConcernRow(int Urn, string Name, OfstedGrade? OfstedGrade, DateOnly? InspectionDate, IReadOnlyList<RiskCriterion> RiskReasons,
    string? RiskNote, EnrolmentStatus? Enrolment, string? Trigger, Tier? PreviousTier, Tier? CurrentTier, long EnrolmentFeePence, string? FundName,
    DateTimeOffset? EnrolledAt, string? OverrideReason);

/// <summary>The LA's schools causing concern (or with an enrolment or override in force), with their gold enrolment.</summary>
public static class ListSchoolsCausingConcern
{
    public sealed record Query(int Code) : IQuery<IReadOnlyList<ConcernRow>>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, IReadOnlyList<ConcernRow>>
    {
        public async ValueTask<IReadOnlyList<ConcernRow>> Handle(Query request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var today = clock.Today();
            var flags = await db.RiskFlags.AsNoTracking().Where(f => f.ClearedAt == null && db.Schools.Any(s => s.Id == f.SchoolId && s.LocalAuthorityId == la.Id))
                .ToDictionaryAsync(f => f.SchoolId, ct);
            var enrolments = await db.ConcernEnrolments.AsNoTracking()
                .Where(e => e.LocalAuthorityId == la.Id && (e.Status == EnrolmentStatus.Active || e.Status == EnrolmentStatus.Exiting || e.Status == EnrolmentStatus.Overridden))
                .ToDictionaryAsync(e => e.SchoolId, ct);
            var schools = await db.Schools.AsNoTracking()
                .Where(s => s.LocalAuthorityId == la.Id && (s.OfstedGrade == OfstedGrade.RequiresImprovement || s.OfstedGrade == OfstedGrade.Inadequate
                    || flags.Keys.Contains(s.Id) || enrolments.Keys.Contains(s.Id)))
                .OrderBy(s => s.Name).ToListAsync(ct);
            var ids = schools.Select(s => s.Id).ToList();
            var tiers = await db.Subscriptions.AsNoTracking()
                .Where(s => ids.Contains(s.SchoolId) && s.Status == Domain.Subscriptions.SubscriptionStatus.Active && s.StartsOn <= today && s.PeriodEnd >= today)
                .ToDictionaryAsync(s => s.SchoolId, s => s.Tier, ct);
            return schools.Select(s =>
            {
                flags.TryGetValue(s.Id, out var f);
                enrolments.TryGetValue(s.Id, out var e);
                return new ConcernRow(s.Urn, s.Name, s.OfstedGrade, s.OfstedInspectionDate, f?.Reasons ?? [], f?.Note, e?.Status, e?.Trigger, e?.PreviousTier,
                    tiers.TryGetValue(s.Id, out var t) ? t : null, e?.FeePence ?? 0, e?.FundName, e?.StartedAt, e?.OverrideReason);
            }).ToList();
        }
    }
}
