using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
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
            var year = SubscriptionService.PackageYear(current?.Period ?? Period.Containing(basis, today));
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

internal static class TierRules
{
    public static IRuleBuilderOptions<T, string?> MustBeTier<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("Choose bronze, silver or gold")
            .Must(t => EnumText.TryParse<Tier>(t, out _)).WithMessage("Choose bronze, silver or gold");

    public static Tier ParseTier(string? text) => EnumText.TryParse<Tier>(text, out var t) ? t : throw new ArgumentException("Not a tier", nameof(text));
}

/// <summary>A school with no subscription this period joins now (fee and allowance prorated by days remaining).</summary>
public static class Subscribe
{
    public sealed record Command(int Urn, string? Tier, int? TermYears) : ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Tier).MustBeTier();
            RuleFor(x => x.TermYears).InclusiveBetween(1, 3).When(x => x.TermYears is not null).WithMessage("A term is one, two or three years");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, SubscriptionService subscriptions) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var school = await Access.SchoolToCommitAsync(db, user, request.Urn, ct);
            return await subscriptions.InTransactionAsync(async () =>
            {
                await subscriptions.LockSchoolAsync(school.Id, ct);
                var la = await db.LocalAuthorities.SingleAsync(l => l.Id == school.LocalAuthorityId, ct);
                var sub = await subscriptions.StartAsync(school, la, TierRules.ParseTier(request.Tier), request.TermYears ?? 1, Payer.School, null, 10_000,
                    subscriptions.Today, SubscriptionOrigin.SchoolChoice, Actor.From(user), ct);
                return sub.Id;
            }, ct);
        }
    }
}

/// <summary>Changes the current subscription: upgrade now, downgrade from next period, or give notice.</summary>
public static class ChangeSubscription
{
    public enum Action { Upgrade, Downgrade, Notice }

    public sealed record Command(int Urn, Action Kind, string? Tier, string? Reason) : ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Tier).MustBeTier().When(x => x.Kind != Action.Notice);
            RuleFor(x => x.Reason).MaximumLength(1000).WithMessage("Keep the reason to 1,000 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, SubscriptionService subscriptions, TimeProvider clock)
        : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var school = await Access.SchoolToCommitAsync(db, user, request.Urn, ct);
            return await subscriptions.InTransactionAsync(async () =>
            {
                await subscriptions.LockSchoolAsync(school.Id, ct);
                var current = await subscriptions.CurrentAsync(school.Id, ct)
                    ?? throw new DomainRuleException("subscription.none", $"{school.Name} has no subscription this period.");
                var la = await db.LocalAuthorities.SingleAsync(l => l.Id == school.LocalAuthorityId, ct);
                var concern = await db.ConcernEnrolments.AnyAsync(e => e.SubscriptionId == current.Id && e.Status == EnrolmentStatus.Active, ct);
                var actor = Actor.From(user);
                switch (request.Kind)
                {
                    case Action.Upgrade:
                        var change = await subscriptions.UpgradeAsync(current, school, la, TierRules.ParseTier(request.Tier), request.Reason, actor, ct);
                        return change.Id;
                    case Action.Downgrade:
                        if (concern) throw new DomainRuleException("concern.gold", "While the school causes concern it stays at gold; speak to the LA.");
                        var down = current.ScheduleDowngrade(TierRules.ParseTier(request.Tier), subscriptions.Today, actor.UserId, clock.GetUtcNow());
                        await db.SaveChangesAsync(ct);
                        return down.Id;
                    default:
                        if (concern) throw new DomainRuleException("concern.gold", "While the school causes concern its gold enrolment continues; speak to the LA.");
                        var notice = current.GiveNotice(subscriptions.Today, request.Reason, actor.UserId, clock.GetUtcNow());
                        await db.SaveChangesAsync(ct);
                        return notice.Id;
                }
            }, ct);
        }
    }
}

/// <summary>Answers the renewal proposal: confirm as proposed or at another tier, or decline. Buyers who may commit spend only.</summary>
public static class AnswerRenewal
{
    public sealed record Command(int Urn, bool Confirm, string? Tier, string? Reason) : ICommand<RenewalStatus>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Tier).MustBeTier().When(x => x.Confirm && x.Tier is not null);
            RuleFor(x => x.Reason).NotEmpty().When(x => !x.Confirm).WithMessage("Say why the school is not renewing")
                .MaximumLength(1000).WithMessage("Keep the reason to 1,000 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, SubscriptionService subscriptions, TimeProvider clock)
        : ICommandHandler<Command, RenewalStatus>
    {
        public async ValueTask<RenewalStatus> Handle(Command request, CancellationToken ct)
        {
            var school = await Access.SchoolToCommitAsync(db, user, request.Urn, ct);
            return await subscriptions.InTransactionAsync(async () =>
            {
                await subscriptions.LockSchoolAsync(school.Id, ct);
                var current = await subscriptions.CurrentAsync(school.Id, ct)
                    ?? throw new DomainRuleException("subscription.none", $"{school.Name} has no subscription this period.");
                var proposal = await db.RenewalProposals.SingleOrDefaultAsync(p => p.SubscriptionId == current.Id, ct)
                    ?? throw new DomainRuleException("renewal.none", "The renewal window has not opened yet: there is no proposal to answer.");
                var concern = await db.ConcernEnrolments.AnyAsync(e => e.SubscriptionId == current.Id && e.Status == EnrolmentStatus.Active, ct);
                var now = clock.GetUtcNow();
                if (request.Confirm)
                {
                    var tier = request.Tier is null ? proposal.ProposedTier : TierRules.ParseTier(request.Tier);
                    if (concern && tier != Tier.Gold)
                        throw new DomainRuleException("concern.gold", "While the school causes concern it renews at gold.");
                    await subscriptions.PackageAsync(current.LocalAuthorityId, SubscriptionService.PackageYear(proposal.NextPeriod), tier, ct);
                    proposal.Confirm(tier, user.UserId!.Value, now);
                    if (tier != current.RenewalTier) current.SetRenewalTier(tier, "Chosen in the renewal", user.UserId, now);
                }
                else
                {
                    if (concern) throw new DomainRuleException("concern.gold", "While the school causes concern its gold enrolment continues; speak to the LA.");
                    proposal.Decline(request.Reason!, user.UserId!.Value, now);
                    current.EndAtPeriodEnd("Renewal declined: " + request.Reason!.Trim(), user.UserId, now);
                }
                await db.SaveChangesAsync(ct);
                return proposal.Status;
            }, ct);
        }
    }
}
