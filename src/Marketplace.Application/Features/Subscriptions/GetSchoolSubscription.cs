using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Subscriptions;

public sealed record PackageView(Guid Id, int Year, string YearLabel, Tier Tier, long AnnualFeePence, long PerPupilPence, int CreditsIncluded,
    int DiscountBasisPoints, int AdviserSessions, bool NamedLinkAdviser, bool SystemLeaderAccess, bool PriorityBooking, int NoticeDays,
    int MaxTermYears, int PurchasedCreditValidityMonths, bool Editable);

public sealed record SubscriptionChangeView(SubscriptionChangeKind Kind, Tier? FromTier, Tier? ToTier, DateOnly EffectiveOn, long FeePence,
    long SchoolSharePence, long FundSharePence, string? FundName, int Credits, string? Reason, DateTimeOffset At);

public sealed record SubscriptionView(Guid Id, Tier Tier, string PeriodLabel, DateOnly PeriodStart, DateOnly PeriodEnd, DateOnly StartsOn,
    DateOnly TermEndsOn, PeriodBasis Basis, long FeePence, int CreditsIncluded, Payer Payer, string? FundName, int SchoolShareBasisPoints,
    SubscriptionStatus Status, SubscriptionOrigin Origin, Tier RenewsAt, DateOnly? EndsOn, int NoticeDays, PackageView Package,
    IReadOnlyList<SubscriptionChangeView> Changes);

public sealed record RenewalView(Guid Id, string NextPeriodLabel, DateOnly NextPeriodStart, Tier ProposedTier, long ProposedFeePence,
    int ProposedCredits, int CreditsUsedThisPeriod, int AllowanceThisPeriod, string Rationale, RenewalStatus Status, Tier? ChosenTier,
    DateTimeOffset? DecidedAt, string? DeclineReason);

public sealed record ConcernView(EnrolmentStatus Status, string Trigger, Tier? PreviousTier, Payer Payer, string? FundName, long FeePence,
    int CreditsGranted, DateTimeOffset StartedAt, DateTimeOffset? ExitedAt, string? OverrideReason);

public sealed record SchoolSubscriptionView(int Urn, string SchoolName, string LocalAuthority, int PupilsOnRoll, SubscriptionView? Current,
    SubscriptionView? Next, RenewalView? Renewal, ConcernView? Concern, IReadOnlyList<PackageView> AvailablePackages, bool CanCommitSpend);

/// <summary>A school's subscription now and next period, its renewal proposal, concern enrolment and the packages it can choose.</summary>
public static class GetSchoolSubscription
{
    public sealed record Query(int Urn) : IQuery<SchoolSubscriptionView>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, SchoolSubscriptionView>
    {
        public async ValueTask<SchoolSubscriptionView> Handle(Query request, CancellationToken ct)
        {
            var school = await Access.SchoolAsync(db, user, request.Urn, ct);
            var la = await db.LocalAuthorities.AsNoTracking().SingleAsync(l => l.Id == school.LocalAuthorityId, ct);
            var today = clock.Today();
            var subs = await db.Subscriptions.AsNoTracking().Include(s => s.Changes)
                .Where(s => s.SchoolId == school.Id && s.Status == SubscriptionStatus.Active).OrderBy(s => s.PeriodStart).ToListAsync(ct);
            var current = subs.FirstOrDefault(s => s.StartsOn <= today && s.PeriodEnd >= today);
            var next = subs.FirstOrDefault(s => s.StartsOn > today);
            var packageIds = subs.Select(s => s.PackageId).ToList();
            var basis = la.BasisFor(school.Type);
            var year = TierPackage.YearOf(current?.Period ?? Period.Containing(basis, today));
            var packages = await db.TierPackages.AsNoTracking()
                .Where(p => p.LocalAuthorityId == la.Id && (packageIds.Contains(p.Id) || p.Year == year || p.Year == year + 1)).ToListAsync(ct);
            var proposal = current is null ? null : await db.RenewalProposals.AsNoTracking().SingleOrDefaultAsync(p => p.SubscriptionId == current.Id, ct);
            var enrolment = await db.ConcernEnrolments.AsNoTracking().Where(e => e.SchoolId == school.Id)
                .OrderByDescending(e => e.StartedAt).FirstOrDefaultAsync(ct);

            return new SchoolSubscriptionView(school.Urn, school.Name, la.Name, school.PupilsOnRoll,
                current is null ? null : View(current, packages, today), next is null ? null : View(next, packages, today),
                proposal is null ? null : View(proposal), enrolment is null ? null : View(enrolment),
                packages.Where(p => p.Year == year || p.Year == year + 1).OrderBy(p => p.Year).ThenBy(p => p.Tier).Select(p => View(p, today)).ToList(),
                user.IsBuyerFor(school.Id) && user.CanCommitSpend);
        }
    }

    public static PackageView View(TierPackage p, DateOnly today) => new(p.Id, p.Year, $"{p.Year}/{(p.Year + 1) % 100:00}", p.Tier, p.AnnualFeePence,
        p.PerPupilPence, p.CreditsIncluded, p.DiscountBasisPoints, p.AdviserSessions, p.NamedLinkAdviser, p.SystemLeaderAccess, p.PriorityBooking,
        p.NoticeDays, p.MaxTermYears, p.PurchasedCreditValidityMonths, p.IsFuture(today));

    private static SubscriptionView View(Subscription s, List<TierPackage> packages, DateOnly today) => new(s.Id, s.Tier, s.Period.Label,
        s.PeriodStart, s.PeriodEnd, s.StartsOn, s.TermEndsOn, s.Basis, s.FeePence, s.CreditsIncluded, s.Payer, s.FundName, s.SchoolShareBasisPoints,
        s.Status, s.Origin, s.RenewalTier, s.EndsOn, s.NoticeDays, View(packages.Single(p => p.Id == s.PackageId), today),
        s.Changes.OrderBy(c => c.At).Select(c => new SubscriptionChangeView(c.Kind, c.FromTier, c.ToTier, c.EffectiveOn, c.FeePence,
            c.SchoolSharePence, c.FundSharePence, c.FundName, c.Credits, c.Reason, c.At)).ToList());

    private static RenewalView View(RenewalProposal p) => new(p.Id, p.NextPeriod.Label, p.NextPeriodStart, p.ProposedTier, p.ProposedFeePence,
        p.ProposedCredits, p.CreditsUsedThisPeriod, p.AllowanceThisPeriod, p.Rationale, p.Status, p.ChosenTier, p.DecidedAt, p.DeclineReason);

    private static ConcernView View(ConcernEnrolment e) => new(e.Status, e.Trigger, e.PreviousTier, e.Payer, e.FundName, e.FeePence,
        e.CreditsGranted, e.StartedAt, e.ExitedAt, e.OverrideReason);
}
