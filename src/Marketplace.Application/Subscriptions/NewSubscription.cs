using Marketplace.Application.Common;
using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Subscriptions;

/// <summary>
/// Starts a subscription: the one path by which a school joins (<c>Subscribe</c>), a period renews
/// (<c>RunDailySubscriptions</c>) and a school without one is enrolled at gold for concern. It finds the
/// package for the period the start falls in, refuses a second subscription for the same period, adds
/// it to the caller's unit of work, and grants the allowance when the start has arrived (a renewal
/// confirmed ahead waits for the daily run). It runs in the caller's transaction, after the caller has
/// locked the school; the caller saves (the grant is keyed by ids set here, not by the saved row).
/// </summary>
public sealed class NewSubscription(MarketplaceDbContext db, CreditLedger ledger, TimeProvider clock)
{
    public sealed record Terms(Tier Tier, int TermYears, Payer Payer, string? FundName, int SchoolShareBasisPoints, DateOnly StartsOn,
        SubscriptionOrigin Origin, Guid? PreviousSubscriptionId = null, DateOnly? TermEndsOn = null, long? FrozenFeePence = null);

    public async Task<Subscription> StartAsync(School school, LocalAuthority la, Terms terms, Actor actor, CancellationToken ct,
        DateTimeOffset? occurredAt = null)
    {
        var basis = la.BasisFor(school.Type);
        var period = Period.Containing(basis, terms.StartsOn);
        var package = await db.TierPackageAsync(la.Id, TierPackage.YearOf(period), terms.Tier, ct);
        if (await db.Subscriptions.AnyAsync(s => s.SchoolId == school.Id && s.Status == SubscriptionStatus.Active && s.PeriodEnd >= terms.StartsOn, ct))
            throw new DomainRuleException("subscription.exists", "The school already has a subscription for this period.");
        var subscription = new Subscription(Guid.CreateVersion7(), school.Id, la.Id, package, basis, period, school.PupilsOnRoll, terms.Payer,
            terms.FundName, terms.SchoolShareBasisPoints, terms.TermYears, actor.UserId, clock.GetUtcNow(), terms.StartsOn, terms.Origin,
            terms.PreviousSubscriptionId, terms.TermEndsOn, terms.FrozenFeePence);
        db.Subscriptions.Add(subscription);
        if (terms.StartsOn <= clock.Today())
            await ledger.GrantAllowanceAsync(subscription, subscription.Changes[0], package.CostBasisPencePerCredit(la.CreditPricePence), ct, occurredAt);
        return subscription;
    }
}
