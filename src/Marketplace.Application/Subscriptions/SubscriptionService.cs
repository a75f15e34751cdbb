using System.Data;
using Marketplace.Application.Common;
using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Credits;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Application.Subscriptions;

/// <summary>
/// Starts, changes, renews and ends subscriptions, and grants their allowance into the credits ledger.
/// Methods expect the caller's database transaction (see <see cref="InTransactionAsync{T}"/>) so that
/// the subscription row, its change and the ledger grant commit together or not at all. Allowance grants
/// are keyed by subscription change, so any rerun grants once.
/// </summary>
public sealed class SubscriptionService(MarketplaceDbContext db, CreditLedger ledger, Notifier notifier, TimeProvider clock,
    ILogger<SubscriptionService> logger)
{
    public DateOnly Today => clock.Today();

    /// <summary>A package year is named by the calendar year its periods start in: April or September 2026 → 2026/27.</summary>
    public static int PackageYear(Period period) => period.Start.Year;

    public async Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null) return await work();
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var result = await work();
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>Serialises changes to one school's subscriptions and concern status (row lock on the school).</summary>
    public async Task LockSchoolAsync(Guid schoolId, CancellationToken ct) =>
        await db.Database.SqlQuery<int>($"SELECT 1 AS \"Value\" FROM schools WHERE id = {schoolId} FOR UPDATE").ToListAsync(ct);

    public async Task<TierPackage> PackageAsync(Guid laId, int year, Tier tier, CancellationToken ct) =>
        await db.TierPackages.SingleOrDefaultAsync(p => p.LocalAuthorityId == laId && p.Year == year && p.Tier == tier, ct)
        ?? throw new DomainRuleException("package.missing", $"There is no {tier} package for {year}/{(year + 1) % 100:00} yet.");

    /// <summary>The subscription covering today, if any.</summary>
    public Task<Subscription?> CurrentAsync(Guid schoolId, CancellationToken ct)
    {
        var today = Today;
        return db.Subscriptions.Include(s => s.Changes)
            .Where(s => s.SchoolId == schoolId && s.Status == SubscriptionStatus.Active && s.StartsOn <= today && s.PeriodEnd >= today)
            .SingleOrDefaultAsync(ct);
    }

    /// <summary>What one allowance credit is worth to the LA: the credit price less the tier's discount.</summary>
    public static long CostBasis(LocalAuthority la, TierPackage package) =>
        la.CreditPricePence - la.CreditPricePence * package.DiscountBasisPoints / 10_000;

    public async Task<Subscription> StartAsync(School school, LocalAuthority la, Tier tier, int termYears, Payer payer, string? fundName,
        int schoolShareBasisPoints, DateOnly startsOn, SubscriptionOrigin origin, Actor actor, CancellationToken ct,
        Guid? previousSubscriptionId = null, DateOnly? termEndsOn = null, long? frozenFeePence = null, DateTimeOffset? occurredAt = null)
    {
        var basis = la.BasisFor(school.Type);
        var period = Period.Containing(basis, startsOn);
        var package = await PackageAsync(la.Id, PackageYear(period), tier, ct);
        if (await db.Subscriptions.AnyAsync(s => s.SchoolId == school.Id && s.Status == SubscriptionStatus.Active && s.PeriodEnd >= startsOn, ct))
            throw new DomainRuleException("subscription.exists", "The school already has a subscription for this period.");
        var subscription = new Subscription(Guid.CreateVersion7(), school.Id, la.Id, package, basis, period, school.PupilsOnRoll, payer,
            fundName, schoolShareBasisPoints, termYears, actor.UserId, clock.GetUtcNow(), startsOn, origin, previousSubscriptionId, termEndsOn,
            frozenFeePence);
        db.Subscriptions.Add(subscription);
        await db.SaveChangesAsync(ct);
        if (startsOn <= Today) await GrantAllowanceAsync(subscription, subscription.Changes[0], CostBasis(la, package), ct, occurredAt);
        return subscription;
    }

    public async Task<SubscriptionChange> UpgradeAsync(Subscription subscription, School school, LocalAuthority la, Tier tier, string? reason,
        Actor actor, CancellationToken ct, Payer? payer = null, string? fundName = null, int schoolShareBasisPoints = 10_000)
    {
        var package = await PackageAsync(la.Id, PackageYear(subscription.Period), tier, ct);
        var change = subscription.Upgrade(package, school.PupilsOnRoll, Today, reason, actor.UserId, clock.GetUtcNow(), payer, fundName,
            schoolShareBasisPoints);
        await db.SaveChangesAsync(ct);
        await GrantAllowanceAsync(subscription, change, CostBasis(la, package), ct);
        return change;
    }

    /// <summary>Grants a change's allowance credits, expiring at the period end; keyed by the change, so once only.</summary>
    public async Task GrantAllowanceAsync(Subscription subscription, SubscriptionChange change, long costBasisPencePerCredit, CancellationToken ct,
        DateTimeOffset? occurredAt = null)
    {
        if (change.Credits <= 0) return;
        await ledger.GrantAsync(new CreditLedger.GrantRequest(AllowanceKey(subscription.Id, change.Id), LedgerTransactionKind.AllowanceGrant,
            subscription.SchoolId, subscription.LocalAuthorityId, CreditSource.Allowance, change.Credits, subscription.PeriodEnd,
            costBasisPencePerCredit, $"{change.ToTier} allowance for {subscription.Period.Label}" + (change.Kind == SubscriptionChangeKind.Upgraded ? " (upgrade, prorated)" : ""),
            OccurredAt: occurredAt), ct);
    }

    private static string AllowanceKey(Guid subscriptionId, Guid changeId) => $"allowance:{subscriptionId:N}:{changeId:N}";

    // ---- the daily job's steps; each is idempotent and safe to rerun at any time ----

    /// <summary>Grants the allowance of subscriptions whose start has arrived (a renewal confirmed ahead of its period).</summary>
    public async Task<int> GrantDueAllowancesAsync(CancellationToken ct)
    {
        var today = Today;
        var due = await db.SubscriptionChanges.AsNoTracking()
            .Where(c => c.Credits > 0 && c.EffectiveOn <= today
                && (c.Kind == SubscriptionChangeKind.Started || c.Kind == SubscriptionChangeKind.Renewed || c.Kind == SubscriptionChangeKind.Upgraded))
            .Join(db.Subscriptions.Where(s => s.Status == SubscriptionStatus.Active && s.PeriodEnd >= today), c => c.SubscriptionId, s => s.Id,
                (c, s) => new { SubscriptionId = s.Id, ChangeId = c.Id })
            .ToListAsync(ct);
        var keys = due.Select(x => AllowanceKey(x.SubscriptionId, x.ChangeId)).ToList();
        var granted = (await db.LedgerTransactions.AsNoTracking().Where(t => keys.Contains(t.IdempotencyKey)).Select(t => t.IdempotencyKey)
            .ToListAsync(ct)).ToHashSet();
        due = due.Where(x => !granted.Contains(AllowanceKey(x.SubscriptionId, x.ChangeId))).ToList();
        foreach (var item in due)
        {
            await InTransactionAsync(async () =>
            {
                var subscription = await db.Subscriptions.Include(s => s.Changes).SingleAsync(s => s.Id == item.SubscriptionId, ct);
                var la = await db.LocalAuthorities.SingleAsync(l => l.Id == subscription.LocalAuthorityId, ct);
                var package = await db.TierPackages.SingleAsync(p => p.Id == subscription.PackageId, ct);
                await GrantAllowanceAsync(subscription, subscription.Changes.Single(c => c.Id == item.ChangeId), CostBasis(la, package), ct);
                return 0;
            }, ct);
        }
        return due.Count;
    }

    /// <summary>Expires every grant past its expiry date that still holds credits.</summary>
    public async Task<int> ExpireGrantsAsync(CancellationToken ct)
    {
        var today = Today;
        var expired = await db.CreditGrants.AsNoTracking().Where(g => g.ExpiresOn < today && g.Remaining > 0).Select(g => g.Id).ToListAsync(ct);
        var credits = 0;
        foreach (var id in expired) credits += await ledger.ExpireGrantAsync(id, ct);
        if (credits > 0) logger.LogInformation("Expired {Credits} unused credits in {Grants} grants", credits, expired.Count);
        return expired.Count;
    }

    /// <summary>Ends subscriptions whose period has passed and starts the next period for those that renew.</summary>
    public async Task<int> RollOverAsync(CancellationToken ct)
    {
        var today = Today;
        var ids = await db.Subscriptions.Where(s => s.Status == SubscriptionStatus.Active && s.PeriodEnd < today).Select(s => s.Id).ToListAsync(ct);
        foreach (var id in ids) await InTransactionAsync(() => RollOverOneAsync(id, ct), ct);
        return ids.Count;
    }

    private async Task<bool> RollOverOneAsync(Guid subscriptionId, CancellationToken ct)
    {
        var schoolId = await db.Subscriptions.Where(s => s.Id == subscriptionId).Select(s => s.SchoolId).SingleAsync(ct);
        await LockSchoolAsync(schoolId, ct);
        var subscription = await db.Subscriptions.Include(s => s.Changes).SingleAsync(s => s.Id == subscriptionId, ct);
        if (subscription.Status != SubscriptionStatus.Active) return false; // another run got here first
        var school = await db.Schools.SingleAsync(s => s.Id == schoolId, ct);
        var la = await db.LocalAuthorities.SingleAsync(l => l.Id == subscription.LocalAuthorityId, ct);
        var proposal = await db.RenewalProposals.SingleOrDefaultAsync(p => p.SubscriptionId == subscriptionId, ct);
        var enrolment = await db.ConcernEnrolments.SingleOrDefaultAsync(e => e.SubscriptionId == subscriptionId
            && (e.Status == EnrolmentStatus.Active || e.Status == EnrolmentStatus.Exiting), ct);
        var now = clock.GetUtcNow();

        var renews = !subscription.EndsAtPeriodEnd && proposal?.Status != RenewalStatus.Declined;
        var concern = enrolment?.Status == EnrolmentStatus.Active;
        var tier = concern ? Tier.Gold : subscription.RenewalTier;
        if (proposal?.Status == RenewalStatus.Open) proposal.RenewByDefault(tier, now);
        subscription.End(renews ? "Period ended; renewed" : "Period ended; not renewed", now);
        enrolment?.Finish();
        await db.SaveChangesAsync(ct);
        if (!renews) return true;

        var inTerm = subscription.TermEndsOn > subscription.PeriodEnd;
        var (payer, fund, share) = concern
            ? (la.ConcernPayer, la.ConcernFundName, la.ConcernSchoolShareBasisPoints)
            : subscription.Origin == SubscriptionOrigin.ConcernEnrolment
                ? (Payer.School, (string?)null, 10_000)
                : (subscription.Payer, subscription.FundName, subscription.SchoolShareBasisPoints);
        try
        {
            var next = await StartAsync(school, la, tier, 1, payer, fund, share, subscription.PeriodEnd.AddDays(1),
                concern ? SubscriptionOrigin.ConcernEnrolment : SubscriptionOrigin.Renewal, Actor.System, ct, subscription.Id,
                inTerm ? subscription.TermEndsOn : null, inTerm && tier == subscription.Tier ? subscription.FeePence : null);
            if (concern) enrolment!.MoveTo(next.Id);
            await db.SaveChangesAsync(ct);
        }
        catch (DomainRuleException e) when (e.Code == "package.missing")
        {
            // The LA has not published next year's packages: the school is told, the period is not renewed.
            logger.LogWarning("Could not renew subscription {Id}: {Message}", subscriptionId, e.Message);
            await notifier.ToCommissionersAsync(la.Id, $"renewal-failed:{subscriptionId:N}", $"{school.Name}: subscription could not renew",
                $"{school.Name}'s subscription ended on {subscription.PeriodEnd:d MMMM yyyy} and could not renew: {e.Message}", ct);
            await db.SaveChangesAsync(ct);
        }
        return true;
    }

    /// <summary>Sends a renewal proposal to each school whose renewal window has opened.</summary>
    public async Task<int> OpenRenewalsAsync(CancellationToken ct)
    {
        var today = Today;
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
                if (await InTransactionAsync(() => ProposeAsync(c.Id, ct), ct)) opened++;
            }
            catch (DomainRuleException e) when (e.Code == "package.missing")
            {
                logger.LogInformation("Renewal for subscription {Id} waits for next year's packages: {Message}", c.Id, e.Message);
            }
        }
        return opened;
    }

    private async Task<bool> ProposeAsync(Guid subscriptionId, CancellationToken ct)
    {
        var subscription = await db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == subscriptionId, ct);
        await LockSchoolAsync(subscription.SchoolId, ct);
        if (await db.RenewalProposals.AnyAsync(p => p.SubscriptionId == subscriptionId, ct)) return false;
        var school = await db.Schools.AsNoTracking().SingleAsync(s => s.Id == subscription.SchoolId, ct);
        var la = await db.LocalAuthorities.AsNoTracking().SingleAsync(l => l.Id == subscription.LocalAuthorityId, ct);
        var concern = await db.ConcernEnrolments.AnyAsync(e => e.SubscriptionId == subscriptionId && e.Status == EnrolmentStatus.Active, ct);
        var used = await CreditsSpentAsync(subscription.SchoolId, subscription.Period, ct);
        var allowance = subscription.CreditsIncluded;

        var tier = concern ? Tier.Gold : subscription.RenewalTier;
        string rationale;
        if (concern)
            rationale = "The school is enrolled at gold while it causes concern; gold continues next year.";
        else if (subscription.NextPeriodTier is not null)
            rationale = $"The school asked for {tier} from next year.";
        else if (allowance > 0 && used * 10 >= allowance * 12 && tier < Tier.Gold)
        {
            tier += 1;
            rationale = $"The school used {used} credits against an allowance of {allowance}; {tier} includes more credits and a larger discount.";
        }
        else if (allowance > 0 && used * 2 < allowance && tier > Tier.Bronze)
        {
            tier -= 1;
            rationale = $"The school used {used} of its {allowance} allowance credits; {tier} would cover that for less.";
        }
        else rationale = $"The school used {used} credits against an allowance of {allowance}; the same tier fits.";

        var next = subscription.Period.Next();
        var package = await PackageAsync(la.Id, PackageYear(next), tier, ct);
        var proposal = new RenewalProposal(Guid.CreateVersion7(), subscription.Id, subscription.SchoolId, la.Id, next, tier,
            package.FeeFor(school.PupilsOnRoll), package.CreditsIncluded, used, allowance, rationale, clock.GetUtcNow());
        db.RenewalProposals.Add(proposal);
        await notifier.ToSchoolAsync(school.Id, $"renewal-proposal:{proposal.SubscriptionId:N}", $"Your {la.TradingName} renewal for {next.Label}",
            $"""
            Your subscription to {la.TradingName} ends on {subscription.PeriodEnd:d MMMM yyyy}.

            We propose {tier} for {next.Label}: £{proposal.ProposedFeePence / 100m:N2} a year including {proposal.ProposedCredits} credits.
            {rationale}

            Confirm, change or decline the proposal on your subscription page. Without an answer, the subscription renews at
            {(concern ? Tier.Gold : subscription.RenewalTier)}, as now: we never move a school to a dearer tier without its confirmation.
            """, ct);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Credits the school spent from its wallet during the period (any source).</summary>
    public async Task<int> CreditsSpentAsync(Guid schoolId, Period period, CancellationToken ct)
    {
        var from = UkClock.StartOf(period.Start);
        var to = UkClock.StartOf(period.End.AddDays(1));
        var total = await db.LedgerEntries
            .Where(e => e.Amount < 0
                && db.LedgerAccounts.Any(a => a.Id == e.AccountId && a.Kind == LedgerAccountKind.SchoolWallet && a.SchoolId == schoolId)
                && db.LedgerTransactions.Any(t => t.Id == e.TransactionId && t.Kind == LedgerTransactionKind.Spend && t.OccurredAt >= from && t.OccurredAt < to))
            .SumAsync(e => (long?)-e.Amount, ct) ?? 0;
        return (int)total;
    }
}
