using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>An LA's tier packages, all years (its commissioners and admins).</summary>
public static class ListPackages
{
    public sealed record Query(int Code) : IQuery<IReadOnlyList<PackageView>>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, IReadOnlyList<PackageView>>
    {
        public async ValueTask<IReadOnlyList<PackageView>> Handle(Query request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var today = clock.Today();
            var packages = await db.TierPackages.AsNoTracking().Where(p => p.LocalAuthorityId == la.Id).ToListAsync(ct);
            return packages.OrderBy(p => p.Year).ThenBy(p => p.Tier).Select(p => GetSchoolSubscription.View(p, today)).ToList();
        }
    }
}

public sealed record PackageInput(long? AnnualFeePence, long? PerPupilPence, int? CreditsIncluded, int? DiscountBasisPoints, int? AdviserSessions,
    bool? NamedLinkAdviser, bool? SystemLeaderAccess, bool? PriorityBooking, int? NoticeDays, int? MaxTermYears, int? PurchasedCreditValidityMonths);

/// <summary>Creates or changes one tier's package for a future year. Running subscriptions keep the figures they started with.</summary>
public static class SavePackage
{
    public sealed record Command(int Code, int Year, string? Tier, PackageInput Input) : ICommand<PackageView>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Tier).MustBeTier();
            RuleFor(x => x.Year).InclusiveBetween(2020, 2100).WithMessage("Give the package year as its first calendar year, e.g. 2027 for 2027/28");
            RuleFor(x => x.Input.AnnualFeePence).NotNull().WithMessage("Enter the annual fee").InclusiveBetween(0, 1_000_000_00).WithMessage("The annual fee is £0 to £1,000,000");
            RuleFor(x => x.Input.PerPupilPence).NotNull().WithMessage("Enter the per-pupil rate").InclusiveBetween(0, 1_000_00).WithMessage("The per-pupil rate is £0 to £1,000");
            RuleFor(x => x.Input.CreditsIncluded).NotNull().WithMessage("Enter the credits included").InclusiveBetween(0, 100_000).WithMessage("Credits included are 0 to 100,000");
            RuleFor(x => x.Input.DiscountBasisPoints).InclusiveBetween(0, 10_000).WithMessage("The discount is 0% to 100% (0 to 10,000 basis points)");
            RuleFor(x => x.Input.AdviserSessions).InclusiveBetween(0, 100).WithMessage("Adviser sessions are 0 to 100");
            RuleFor(x => x.Input.NoticeDays).InclusiveBetween(0, 366).WithMessage("Notice is 0 to 366 days");
            RuleFor(x => x.Input.MaxTermYears).InclusiveBetween(1, 3).WithMessage("Terms are one to three years");
            RuleFor(x => x.Input.PurchasedCreditValidityMonths).InclusiveBetween(12, 60).WithMessage("Purchased credits last 12 to 60 months");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, PackageView>
    {
        public async ValueTask<PackageView> Handle(Command request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var tier = TierRules.ParseTier(request.Tier);
            var today = clock.Today();
            var i = request.Input;
            var terms = new TierTerms(i.AnnualFeePence!.Value, i.PerPupilPence!.Value, i.CreditsIncluded!.Value, i.DiscountBasisPoints ?? 0,
                i.AdviserSessions ?? 0, i.NamedLinkAdviser ?? false, i.SystemLeaderAccess ?? false, i.PriorityBooking ?? false, i.NoticeDays ?? 90,
                i.MaxTermYears ?? 1, i.PurchasedCreditValidityMonths ?? 12);
            var package = await db.TierPackages.SingleOrDefaultAsync(p => p.LocalAuthorityId == la.Id && p.Year == request.Year && p.Tier == tier, ct);
            if (package is null)
            {
                if (request.Year < today.Year || !new TierPackage(Guid.Empty, la.Id, request.Year, tier, terms).IsFuture(today))
                    throw new DomainRuleException("package.not-future", $"The {request.Year}/{(request.Year + 1) % 100:00} year has started; packages can only be added for future years.");
                package = new TierPackage(Guid.CreateVersion7(), la.Id, request.Year, tier, terms);
                db.TierPackages.Add(package);
            }
            else package.Change(terms, today);
            db.AuditEvents.Add(new AuditEvent(Guid.CreateVersion7(), clock.GetUtcNow(), user.UserId, user.DisplayName, la.Id, null, "package.saved",
                $"{tier} package for {request.Year}/{(request.Year + 1) % 100:00}: £{terms.AnnualFeePence / 100m:N2} + £{terms.PerPupilPence / 100m:N2} per pupil, {terms.CreditsIncluded} credits", null));
            await db.SaveChangesAsync(ct);
            return GetSchoolSubscription.View(package, today);
        }
    }
}

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
