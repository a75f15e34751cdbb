using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Common;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;
using Mediator;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>The LA sets its subscription policy: period basis override, who pays for concern enrolments, the renewal window.</summary>
public static class SetSubscriptionPolicy
{
    public sealed record Command(int Code, string? PeriodBasisOverride, PayerInput Concern, int? RenewalWindowDays,
        long? CreditPurchaseApprovalLimitPence = null) : ICommand<SubscriptionPolicyView>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.PeriodBasisOverride).Must(b => b is null || EnumText.TryParse<PeriodBasis>(b, out _))
                .WithMessage("The subscription year is the financial year or the academic year, or leave it out to follow each school");
            PayerRules.Apply(this, x => x.Concern, "concern.");
            RuleFor(x => x.RenewalWindowDays).NotNull().WithMessage("Enter the renewal window in days, 14 to 180").InclusiveBetween(14, 180).WithMessage("The renewal window is 14 to 180 days");
            RuleFor(x => x.CreditPurchaseApprovalLimitPence).InclusiveBetween(0, LocalAuthority.MaxCreditPurchaseApprovalLimitPence)
                .WithMessage($"The approval limit for credit purchases is between £0 and {Money.Format(LocalAuthority.MaxCreditPurchaseApprovalLimitPence)}, or leave it out for no limit");
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
            la.SetCreditPurchaseApprovalLimit(request.CreditPurchaseApprovalLimitPence);
            db.AuditEvents.Add(new AuditEvent(Guid.CreateVersion7(), clock.GetUtcNow(), user.UserId, user.DisplayName, la.Id, null, "policy.saved",
                $"Subscription policy: period {(basis is { } pb ? DisplayNames.Lower(pb) : "follows each school")}; concern enrolments paid by {DisplayNames.Lower(payer)}" +
                (payer == Payer.School ? "" : $" ({la.ConcernFundName}{(payer == Payer.Split ? $", school pays {la.ConcernSchoolShareBasisPoints / 100m}%" : "")})") +
                $"; renewal window {la.RenewalWindowDays} days" +
                $"; credit purchases need the school's approver {(la.CreditPurchaseApprovalLimitPence is { } limit ? $"above {Money.Format(limit)}" : "never")}", null));
            await db.SaveChangesAsync(ct);
            return GetSubscriptionPolicy.View(la);
        }
    }
}
