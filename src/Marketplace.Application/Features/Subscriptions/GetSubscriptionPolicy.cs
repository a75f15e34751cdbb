using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Subscriptions;
using Mediator;

namespace Marketplace.Application.Features.Subscriptions;

public sealed record SubscriptionPolicyView(PeriodBasis? PeriodBasisOverride, Payer ConcernPayer, string? ConcernFundName,
    int ConcernSchoolShareBasisPoints, int RenewalWindowDays, long? CreditPurchaseApprovalLimitPence);

/// <summary>
/// An LA's subscription policy: period basis override, who pays for concern enrolments, the renewal window, and the
/// credit purchase total above which a school's approver must confirm (null: no limit).
/// </summary>
public static class GetSubscriptionPolicy
{
    public sealed record Query(int Code) : IQuery<SubscriptionPolicyView>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, SubscriptionPolicyView>
    {
        public async ValueTask<SubscriptionPolicyView> Handle(Query request, CancellationToken ct) =>
            View(await Access.LaForCommissionerAsync(db, user, request.Code, ct));
    }

    internal static SubscriptionPolicyView View(Domain.Organisations.LocalAuthority la) =>
        new(la.PeriodBasisOverride, la.ConcernPayer, la.ConcernFundName, la.ConcernSchoolShareBasisPoints, la.RenewalWindowDays,
            la.CreditPurchaseApprovalLimitPence);
}
