using Marketplace.Domain.Common;
using Marketplace.Application.Credits;
using Marketplace.Domain.Credits;
using Marketplace.Domain.Subscriptions;

namespace Marketplace.Application.Subscriptions;

/// <summary>
/// A subscription change's allowance credits go into the school's wallet as one ledger grant, expiring
/// at the period end. The grant is keyed by subscription and change, so however often a start, an
/// upgrade or the daily run tries, each change grants once.
/// </summary>
public static class AllowanceGrant
{
    public static string Key(Guid subscriptionId, Guid changeId) => $"allowance:{subscriptionId:N}:{changeId:N}";

    public static async Task GrantAllowanceAsync(this CreditLedger ledger, Subscription subscription, SubscriptionChange change,
        long costBasisPencePerCredit, CancellationToken ct, DateTimeOffset? occurredAt = null)
    {
        if (change.Credits <= 0) return;
        await ledger.GrantAsync(new CreditLedger.GrantRequest(Key(subscription.Id, change.Id), LedgerTransactionKind.AllowanceGrant,
            subscription.SchoolId, subscription.LocalAuthorityId, CreditSource.Allowance, change.Credits, subscription.PeriodEnd,
            costBasisPencePerCredit, $"{(change.ToTier is { } to ? DisplayNames.Of(to) : "")} allowance for {subscription.Period.Label}" + (change.Kind == SubscriptionChangeKind.Upgraded ? " (upgrade, prorated)" : ""),
            OccurredAt: occurredAt), ct);
    }
}
