using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>
/// Grants one subscription change's allowance once its start has arrived (a renewal confirmed ahead of
/// its period; one item of <see cref="RunDailySubscriptions"/>). The grant is keyed by subscription and
/// change (<see cref="AllowanceGrant"/>), so a rerun grants nothing twice.
/// </summary>
public static class GrantDueAllowance
{
    public sealed record Command(Guid SubscriptionId, Guid ChangeId) : ICommand<Unit>;

    public sealed class Handler(MarketplaceDbContext db, CreditLedger ledger) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var subscription = await db.Subscriptions.Include(s => s.Changes).SingleAsync(s => s.Id == request.SubscriptionId, ct);
            var la = await db.LocalAuthorities.SingleAsync(l => l.Id == subscription.LocalAuthorityId, ct);
            var package = await db.TierPackages.SingleAsync(p => p.Id == subscription.PackageId, ct);
            await ledger.GrantAllowanceAsync(subscription, subscription.Changes.Single(c => c.Id == request.ChangeId),
                package.CostBasisPencePerCredit(la.CreditPricePence), ct);
            return Unit.Value;
        }
    }
}
