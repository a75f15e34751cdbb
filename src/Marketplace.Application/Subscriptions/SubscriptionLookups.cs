using Marketplace.Application.Data;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Subscriptions;

/// <summary>The reads most subscription use cases start from, tracked so the caller can change what they find.</summary>
public static class SubscriptionLookups
{
    /// <summary>The school's subscription covering the day, if any, with its changes.</summary>
    public static Task<Subscription?> CurrentSubscriptionAsync(this MarketplaceDbContext db, Guid schoolId, DateOnly today, CancellationToken ct) =>
        db.Subscriptions.Include(s => s.Changes)
            .Where(s => s.SchoolId == schoolId && s.Status == SubscriptionStatus.Active && s.StartsOn <= today && s.PeriodEnd >= today)
            .SingleOrDefaultAsync(ct);

    /// <summary>The school's subscription covering the day; a school with none this period is a 409.</summary>
    public static async Task<Subscription> RequireCurrentSubscriptionAsync(this MarketplaceDbContext db, School school, DateOnly today, CancellationToken ct) =>
        await db.CurrentSubscriptionAsync(school.Id, today, ct)
        ?? throw new DomainRuleException("subscription.none", $"{school.Name} has no subscription this period.");

    /// <summary>
    /// A school enrolled at gold because it causes concern keeps gold until the LA ends the enrolment: a change
    /// that would leave gold early (notice, a downgrade) is a 409 with the caller's explanation.
    /// </summary>
    public static async Task RefuseWhileEnrolledAtGoldAsync(this MarketplaceDbContext db, Subscription subscription, string explanation, CancellationToken ct)
    {
        if (await db.ConcernEnrolments.AnyAsync(e => e.SubscriptionId == subscription.Id && e.Status == EnrolmentStatus.Active, ct))
            throw new DomainRuleException("concern.gold", explanation);
    }

    /// <summary>The LA's package for a tier and package year; a year not yet published is a 409 the school can read.</summary>
    public static async Task<TierPackage> TierPackageAsync(this MarketplaceDbContext db, Guid laId, int year, Tier tier, CancellationToken ct) =>
        await db.TierPackages.SingleOrDefaultAsync(p => p.LocalAuthorityId == laId && p.Year == year && p.Tier == tier, ct)
        ?? throw new DomainRuleException(MissingPackage, $"There is no {tier} package for {year}/{(year + 1) % 100:00} yet.");

    /// <summary>The rule code of <see cref="TierPackageAsync"/>'s refusal, which the daily run waits on.</summary>
    public const string MissingPackage = "package.missing";
}
