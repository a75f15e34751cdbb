using Marketplace.Application.Data;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;
using Marketplace.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Infrastructure;

/// <summary>Finds things in the seeded demo world, reads the database directly and runs background jobs.</summary>
public static class World
{
    public static async Task<T> DbAsync<T>(this MarketplaceFixture fixture, Func<MarketplaceDbContext, Task<T>> read)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>());
    }

    /// <summary>Runs the daily subscriptions job as Hangfire would (a fresh scope).</summary>
    public static async Task RunDailyJobAsync(this MarketplaceFixture fixture)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SubscriptionJobs>().RunDailyAsync(CancellationToken.None);
    }

    /// <summary>Runs the daily bookings job (automatic sign-off) as Hangfire would.</summary>
    public static async Task RunBookingJobAsync(this MarketplaceFixture fixture)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BookingJobs>().RunDailyAsync(CancellationToken.None);
    }

    public static Task<School> BuyerSchoolAsync(this MarketplaceFixture fixture) =>
        fixture.DbAsync(db => db.Users.Where(u => u.Email == DemoAccounts.YorkBuyer)
            .Join(db.Schools, u => u.SchoolId, s => s.Id, (u, s) => s).AsNoTracking().SingleAsync());

    /// <summary>A York school judged good or outstanding with a current subscription at the tier, or none when tier is null.</summary>
    public static Task<School> YorkSchoolAsync(this MarketplaceFixture fixture, Tier? tier, SchoolType? type = SchoolType.Maintained) =>
        fixture.DbAsync(async db =>
        {
            var york = await db.LocalAuthorities.Where(l => l.Code == DemoAccounts.YorkCode).Select(l => l.Id).SingleAsync();
            var buyer = await db.Users.Where(u => u.Email == DemoAccounts.YorkBuyer).Select(u => u.SchoolId).SingleAsync();
            // York leaves only three schools unsubscribed, so "none" accepts any type.
            var anyType = type is null || tier is null;
            var q = db.Schools.AsNoTracking().Where(s => s.LocalAuthorityId == york && s.Id != buyer && (anyType || s.Type == type)
                && (s.OfstedGrade == OfstedGrade.Good || s.OfstedGrade == OfstedGrade.Outstanding));
            q = tier is null
                ? q.Where(s => !db.Subscriptions.Any(x => x.SchoolId == s.Id))
                : q.Where(s => db.Subscriptions.Any(x => x.SchoolId == s.Id && x.Status == SubscriptionStatus.Active && x.Tier == tier));
            return await q.OrderBy(s => s.Urn).FirstAsync();
        });

    public static Task<Subscription?> ActiveSubscriptionAsync(this MarketplaceFixture fixture, Guid schoolId) =>
        fixture.DbAsync(db => db.Subscriptions.AsNoTracking().Include(s => s.Changes)
            .Where(s => s.SchoolId == schoolId && s.Status == SubscriptionStatus.Active).OrderBy(s => s.PeriodStart).FirstOrDefaultAsync());

    public static Task<long> WalletBalanceAsync(this MarketplaceFixture fixture, Guid schoolId) =>
        fixture.DbAsync(async db => await db.LedgerAccounts.Where(a => a.SchoolId == schoolId && a.Kind == Domain.Credits.LedgerAccountKind.SchoolWallet)
            .Select(a => (long?)a.Balance).SingleOrDefaultAsync() ?? 0);
}
