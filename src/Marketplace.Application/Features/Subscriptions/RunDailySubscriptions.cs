using Marketplace.Application.Behaviours;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Features.Credits;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Common;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>
/// The daily subscriptions run (sent by the Hangfire job "subscriptions-daily"): end periods that have
/// passed and start their renewals (<see cref="RollOverSubscription"/>), grant allowances that have come
/// due (<see cref="GrantDueAllowance"/>), expire unused credits (<see cref="ExpireGrant"/>), and send
/// renewal proposals whose window has opened (<see cref="ProposeRenewal"/>). Every step is idempotent
/// (ledger keys, one proposal per subscription, status checks under the school's row lock), so a retry
/// or a manual rerun changes nothing twice. A batch: each item is a command of its own, sent in its own
/// scope and transaction, so one failure does not undo the others.
/// </summary>
public static class RunDailySubscriptions
{
    public sealed record Command : ICommand<Result>, IBatchCommand;

    public sealed record Result(int PeriodsEnded, int AllowancesGranted, int GrantsExpired, int ProposalsSent);

    public sealed class Handler(MarketplaceDbContext db, IServiceScopeFactory scopes, TimeProvider clock, ILogger<Handler> logger)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var result = new Result(await RollOverAsync(ct), await GrantDueAllowancesAsync(ct), await ExpireGrantsAsync(ct), await OpenRenewalsAsync(ct));
            logger.LogInformation("Subscriptions daily run: {Rolled} periods ended, {Granted} allowances granted, {Expired} grants expired, {Proposals} renewal proposals sent",
                result.PeriodsEnded, result.AllowancesGranted, result.GrantsExpired, result.ProposalsSent);
            return result;
        }

        /// <summary>Ends subscriptions whose period has passed and starts the next period for those that renew.</summary>
        private async Task<int> RollOverAsync(CancellationToken ct)
        {
            var today = clock.Today();
            var ids = await db.Subscriptions.AsNoTracking().Where(s => s.Status == SubscriptionStatus.Active && s.PeriodEnd < today).Select(s => s.Id).ToListAsync(ct);
            foreach (var id in ids) await scopes.SendInOwnScopeAsync(new RollOverSubscription.Command(id), ct);
            return ids.Count;
        }

        /// <summary>Grants the allowance of subscriptions whose start has arrived (a renewal confirmed ahead of its period).</summary>
        private async Task<int> GrantDueAllowancesAsync(CancellationToken ct)
        {
            var today = clock.Today();
            var due = await db.SubscriptionChanges.AsNoTracking()
                .Where(c => c.Credits > 0 && c.EffectiveOn <= today
                    && (c.Kind == SubscriptionChangeKind.Started || c.Kind == SubscriptionChangeKind.Renewed || c.Kind == SubscriptionChangeKind.Upgraded))
                .Join(db.Subscriptions.Where(s => s.Status == SubscriptionStatus.Active && s.PeriodEnd >= today), c => c.SubscriptionId, s => s.Id,
                    (c, s) => new { SubscriptionId = s.Id, ChangeId = c.Id })
                .ToListAsync(ct);
            var keys = due.Select(x => AllowanceGrant.Key(x.SubscriptionId, x.ChangeId)).ToList();
            var granted = (await db.LedgerTransactions.AsNoTracking().Where(t => keys.Contains(t.IdempotencyKey)).Select(t => t.IdempotencyKey)
                .ToListAsync(ct)).ToHashSet();
            due = due.Where(x => !granted.Contains(AllowanceGrant.Key(x.SubscriptionId, x.ChangeId))).ToList();
            foreach (var item in due) await scopes.SendInOwnScopeAsync(new GrantDueAllowance.Command(item.SubscriptionId, item.ChangeId), ct);
            return due.Count;
        }

        /// <summary>Expires every grant past its expiry date that still holds credits.</summary>
        private async Task<int> ExpireGrantsAsync(CancellationToken ct)
        {
            var today = clock.Today();
            var expired = await db.CreditGrants.AsNoTracking().Where(g => g.ExpiresOn < today && g.Remaining > 0).Select(g => g.Id).ToListAsync(ct);
            var credits = 0;
            foreach (var id in expired) credits += await scopes.SendInOwnScopeAsync(new ExpireGrant.Command(id), ct);
            if (credits > 0) logger.LogInformation("Expired {Credits} unused credits in {Grants} grants", credits, expired.Count);
            return expired.Count;
        }

        /// <summary>Sends a renewal proposal to each school whose renewal window has opened.</summary>
        private async Task<int> OpenRenewalsAsync(CancellationToken ct)
        {
            var today = clock.Today();
            var horizon = today.AddDays(180);
            var candidates = await db.Subscriptions.AsNoTracking()
                .Where(s => s.Status == SubscriptionStatus.Active && s.PeriodEnd >= today && s.PeriodEnd <= horizon && s.PeriodEnd == s.TermEndsOn
                    && s.EndsOn == null && !db.RenewalProposals.Any(p => p.SubscriptionId == s.Id))
                .Join(db.LocalAuthorities, s => s.LocalAuthorityId, l => l.Id, (s, l) => new { s.Id, s.PeriodEnd, l.RenewalWindowDays })
                .ToListAsync(ct);
            var opened = 0;
            foreach (var c in candidates.Where(c => c.PeriodEnd.AddDays(-c.RenewalWindowDays) <= today))
            {
                try
                {
                    if (await scopes.SendInOwnScopeAsync(new ProposeRenewal.Command(c.Id), ct)) opened++;
                }
                catch (DomainRuleException e) when (e.Code == SubscriptionLookups.MissingPackage)
                {
                    logger.LogInformation("Renewal for subscription {Id} waits for next year's packages: {Message}", c.Id, e.Message);
                }
            }
            return opened;
        }
    }
}
