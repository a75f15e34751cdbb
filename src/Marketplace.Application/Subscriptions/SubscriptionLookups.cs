using Marketplace.Application.Data;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Subscriptions;

/// <summary>The two reads most subscription use cases start from, tracked so the caller can change what they find.</summary>
public static class SubscriptionLookups
{
    /// <summary>The school's subscription covering the day, if any, with its changes.</summary>
    public static Task<Subscription?> CurrentSubscriptionAsync(this MarketplaceDbContext db, Guid schoolId, DateOnly today, CancellationToken ct) =>
        db.Subscriptions.Include(s => s.Changes)
            .Where(s => s.SchoolId == schoolId && s.Status == SubscriptionStatus.Active && s.StartsOn <= today && s.PeriodEnd >= today)
            .SingleOrDefaultAsync(ct);

    /// <summary>The LA's package for a tier and package year; a year not yet published is a 409 the school can read.</summary>
    public static async Task<TierPackage> TierPackageAsync(this MarketplaceDbContext db, Guid laId, int year, Tier tier, CancellationToken ct) =>
        await db.TierPackages.SingleOrDefaultAsync(p => p.LocalAuthorityId == laId && p.Year == year && p.Tier == tier, ct)
        ?? throw new DomainRuleException(MissingPackage, $"There is no {tier} package for {year}/{(year + 1) % 100:00} yet.");

    /// <summary>The rule code of <see cref="TierPackageAsync"/>'s refusal, which the daily run waits on.</summary>
    public const string MissingPackage = "package.missing";
}
