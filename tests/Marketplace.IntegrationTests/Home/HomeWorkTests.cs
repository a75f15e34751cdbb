using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Features.Home;
using Marketplace.Application.Identity;
using Marketplace.Domain.Bookings;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Home;

/// <summary>The home-page work queries count what waits for the signed-in user, on "today" from the app's clock, and only its own.</summary>
[Trait("Category", "DateSensitive")]
public class HomeWorkTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task A_provider_has_a_delivery_to_record_once_a_confirmed_date_has_come_and_never_another_providers_work()
    {
        var york = await UserAsync(DemoAccounts.YorkProviderTeam);
        var confirmed = await Fixture.DbAsync(db => db.Bookings.AsNoTracking()
            .Where(b => b.ProviderId == york.ProviderId && b.Status == BookingStatus.Confirmed).OrderBy(b => b.RequestedAt).FirstAsync());
        var requested = await Fixture.DbAsync(db => db.Bookings.CountAsync(b => b.ProviderId == york.ProviderId && b.Status == BookingStatus.Requested));
        Assert.True(requested > 0);

        var before = await ProviderWorkAsync(york);
        Assert.Equal(requested, before.ToConfirm.Count);
        Assert.Equal(0, before.DeliveriesToRecord.Count);

        Fixture.SetToday(confirmed.ConfirmedDates.Min());
        var on = await ProviderWorkAsync(york);
        Assert.Equal(1, on.DeliveriesToRecord.Count);
        Assert.Equal(confirmed.Reference, Assert.Single(on.DeliveriesToRecord.First).Reference);
        Assert.Contains(on.ThisMonth.First, b => b.Id == confirmed.Id);

        var other = await ProviderWorkAsync(await UserAsync(DemoAccounts.Consultant));
        Assert.DoesNotContain(other.DeliveriesToRecord.First, b => b.Id == confirmed.Id);
        Assert.DoesNotContain(other.ThisMonth.First, b => b.Id == confirmed.Id);
        Assert.Equal(0, other.ToConfirm.Count);
    }

    [Fact]
    public async Task A_buyers_credits_expiring_in_the_next_60_days_are_counted_from_the_clocks_today()
    {
        var buyer = await UserAsync(DemoAccounts.YorkBuyer);
        var grants = await Fixture.DbAsync(db => db.CreditGrants.AsNoTracking().Where(g => g.SchoolId == buyer.SchoolId && g.Remaining > 0).ToListAsync());
        var firstExpiry = grants.Min(g => g.ExpiresOn);

        // 61 days before the first expiry nothing is due; 60 days before, that grant's credits are.
        Fixture.SetToday(firstExpiry.AddDays(-61));
        var early = await BuyerWorkAsync(buyer);
        Fixture.SetToday(firstExpiry.AddDays(-GetSchoolBuyerWork.ExpiryWindowDays));
        var due = await BuyerWorkAsync(buyer);

        Assert.Equal(grants.Where(g => g.ExpiresOn <= firstExpiry.AddDays(-1)).Sum(g => (long)g.Remaining), early.CreditsExpiringSoon);
        Assert.Equal(grants.Where(g => g.ExpiresOn == firstExpiry).Sum(g => (long)g.Remaining), due.CreditsExpiringSoon);
        Assert.Equal(firstExpiry, due.FirstExpiry);
        Assert.Equal(grants.Sum(g => (long)g.Remaining), due.Balance);
        Assert.True(due.CreditsExpiringSoon > early.CreditsExpiringSoon);
    }

    [Fact]
    public async Task A_school_flagged_at_risk_is_newly_causing_concern_for_its_own_LA_only()
    {
        var commissioner = await UserAsync(DemoAccounts.YorkCommissioner);
        var before = await CommissionerWorkAsync(commissioner);
        var york = await Fixture.YorkSchoolAsync(Domain.Catalogue.Tier.Silver);
        var elsewhere = await Fixture.DbAsync(db => db.Schools.AsNoTracking().Where(s => s.LocalAuthorityId != commissioner.LocalAuthorityId)
            .OrderBy(s => s.Urn).FirstAsync());
        await using (var scope = Fixture.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
            foreach (var school in new[] { york, elsewhere })
                db.RiskFlags.Add(new Domain.Concern.RiskFlag(Guid.NewGuid(), school.Id, [Domain.Concern.RiskCriterion.AttainmentBelowFloor], "Falling results",
                    null, Fixture.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }

        var after = await CommissionerWorkAsync(commissioner);

        Assert.Equal(before.NewlyCausingConcern.Count + 1, after.NewlyCausingConcern.Count);
        Assert.Contains(after.NewlyCausingConcern.First, s => s.Urn == york.Urn);
        Assert.DoesNotContain(after.NewlyCausingConcern.First, s => s.Urn == elsewhere.Urn);
        Assert.Equal(before.Disputes.Count, after.Disputes.Count);
    }

    [Fact]
    public async Task Another_roles_work_is_refused()
    {
        var buyer = await UserAsync(DemoAccounts.YorkBuyer);
        await Assert.ThrowsAsync<ForbiddenException>(() => ProviderWorkAsync(buyer));
        await Assert.ThrowsAsync<ForbiddenException>(() => CommissionerWorkAsync(buyer));
    }

    private async Task<GetProviderWork.Result> ProviderWorkAsync(Caller user)
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        return await new GetProviderWork.Handler(scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>(), user, Fixture.Clock)
            .Handle(new GetProviderWork.Query(), CancellationToken.None);
    }

    private async Task<GetSchoolBuyerWork.Result> BuyerWorkAsync(Caller user)
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        return await new GetSchoolBuyerWork.Handler(scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>(), user, Fixture.Clock)
            .Handle(new GetSchoolBuyerWork.Query(), CancellationToken.None);
    }

    private async Task<GetCommissionerWork.Result> CommissionerWorkAsync(Caller user)
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        return await new GetCommissionerWork.Handler(scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>(), user, Fixture.Clock)
            .Handle(new GetCommissionerWork.Query(), CancellationToken.None);
    }

    private async Task<Caller> UserAsync(string email)
    {
        var user = await Fixture.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email));
        var role = await Fixture.DbAsync(db => db.UserRoles.Where(r => r.UserId == user.Id)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).SingleAsync());
        return new Caller(user.Id, role, user.SchoolId, user.ProviderId, user.LocalAuthorityId);
    }

    /// <summary>A signed-in user as the handlers see one, without an HTTP request.</summary>
    private sealed record Caller(Guid? UserId, string Role, Guid? SchoolId, Guid? ProviderId, Guid? LocalAuthorityId) : ICurrentUser
    {
        public bool IsAuthenticated => true;
        public bool IsInRole(string role) => role == Role;
        public bool CanCommitSpend => false;
        public string DisplayName => "Test " + Role;
    }
}
