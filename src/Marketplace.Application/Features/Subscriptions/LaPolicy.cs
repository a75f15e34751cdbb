using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Common;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Subscriptions;

public sealed record SubscriptionPolicyView(PeriodBasis? PeriodBasisOverride, Payer ConcernPayer, string? ConcernFundName,
    int ConcernSchoolShareBasisPoints, int RenewalWindowDays);

public sealed record PayerInput(string? Payer, string? FundName, int? SchoolShareBasisPoints);

internal static class PayerRules
{
    public static void Apply<T>(AbstractValidator<T> v, Func<T, PayerInput> input, string prefix)
    {
        v.RuleFor(x => input(x).Payer).NotEmpty().WithMessage("Choose who pays: school, fund or split")
            .Must(p => EnumText.TryParse<Payer>(p, out _)).WithMessage("Choose who pays: school, fund or split")
            .OverridePropertyName(prefix + "payer");
        v.RuleFor(x => input(x).FundName).NotEmpty().When(x => EnumText.TryParse<Payer>(input(x).Payer, out var p) && p != Payer.School)
            .WithMessage("Name the fund that pays").MaximumLength(200).WithMessage("A fund name is 200 characters or fewer")
            .OverridePropertyName(prefix + "fundName");
        v.RuleFor(x => input(x).SchoolShareBasisPoints).NotNull().InclusiveBetween(1, 9_999)
            .When(x => EnumText.TryParse<Payer>(input(x).Payer, out var p) && p == Payer.Split)
            .WithMessage("For a split, give the school's share in basis points, 1 to 9,999 (2,500 = 25%)")
            .OverridePropertyName(prefix + "schoolShareBasisPoints");
    }

    public static Payer Parse(string? text) => EnumText.TryParse<Payer>(text, out var p) ? p : throw new ArgumentException("Not a payer", nameof(text));
}

/// <summary>An LA's subscription policy: period basis override, who pays for concern enrolments, the renewal window.</summary>
public static class GetSubscriptionPolicy
{
    public sealed record Query(int Code) : IQuery<SubscriptionPolicyView>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, SubscriptionPolicyView>
    {
        public async ValueTask<SubscriptionPolicyView> Handle(Query request, CancellationToken ct) =>
            View(await Access.LaForCommissionerAsync(db, user, request.Code, ct));
    }

    internal static SubscriptionPolicyView View(Domain.Organisations.LocalAuthority la) =>
        new(la.PeriodBasisOverride, la.ConcernPayer, la.ConcernFundName, la.ConcernSchoolShareBasisPoints, la.RenewalWindowDays);
}

public static class SetSubscriptionPolicy
{
    public sealed record Command(int Code, string? PeriodBasisOverride, PayerInput Concern, int? RenewalWindowDays) : ICommand<SubscriptionPolicyView>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.PeriodBasisOverride).Must(b => b is null || EnumText.TryParse<PeriodBasis>(b, out _))
                .WithMessage("The period basis is financialYear or academicYear, or leave it out to follow each school");
            PayerRules.Apply(this, x => x.Concern, "concern.");
            RuleFor(x => x.RenewalWindowDays).NotNull().InclusiveBetween(14, 180).WithMessage("The renewal window is 14 to 180 days");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, SubscriptionPolicyView>
    {
        public async ValueTask<SubscriptionPolicyView> Handle(Command request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            PeriodBasis? basis = request.PeriodBasisOverride is null ? null : EnumText.TryParse<PeriodBasis>(request.PeriodBasisOverride, out var b) ? b : null;
            var payer = PayerRules.Parse(request.Concern.Payer);
            la.SetSubscriptionPolicy(basis, payer, request.Concern.FundName, request.Concern.SchoolShareBasisPoints ?? 0, request.RenewalWindowDays!.Value);
            db.AuditEvents.Add(new AuditEvent(Guid.CreateVersion7(), clock.GetUtcNow(), user.UserId, user.DisplayName, la.Id, null, "policy.saved",
                $"Subscription policy: period {(basis?.ToString() ?? "follows each school")}; concern enrolments paid by {payer}" +
                (payer == Payer.School ? "" : $" ({la.ConcernFundName}{(payer == Payer.Split ? $", school pays {la.ConcernSchoolShareBasisPoints / 100m}%" : "")})") +
                $"; renewal window {la.RenewalWindowDays} days", null));
            await db.SaveChangesAsync(ct);
            return GetSubscriptionPolicy.View(la);
        }
    }
}

/// <summary>The LA sets who pays for one school's subscription from now on (the school, a named fund, or a split).</summary>
public static class SetSubscriptionPayer
{
    public sealed record Command(int Code, int Urn, PayerInput Input) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => PayerRules.Apply(this, x => x.Input, "");
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, SubscriptionService subscriptions, TimeProvider clock)
        : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var school = await Access.SchoolOfLaAsync(db, la, request.Urn, ct);
            await subscriptions.InTransactionAsync(async () =>
            {
                await subscriptions.LockSchoolAsync(school.Id, ct);
                var current = await subscriptions.CurrentAsync(school.Id, ct)
                    ?? throw new DomainRuleException("subscription.none", $"{school.Name} has no subscription this period.");
                var payer = PayerRules.Parse(request.Input.Payer);
                current.SetPayer(payer, request.Input.FundName, request.Input.SchoolShareBasisPoints ?? 0);
                db.AuditEvents.Add(new AuditEvent(Guid.CreateVersion7(), clock.GetUtcNow(), user.UserId, user.DisplayName, la.Id, school.Id, "subscription.payer",
                    $"Payer from now on: {payer}" + (payer == Payer.School ? "" : $" ({current.FundName}{(payer == Payer.Split ? $", school pays {current.SchoolShareBasisPoints / 100m}%" : "")})"), null));
                await db.SaveChangesAsync(ct);
                return 0;
            }, ct);
            return Unit.Value;
        }
    }
}
