using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Infrastructure;

/// <summary>Creates users beyond the demo ones (for example a commissioner of another LA).</summary>
public static class TestUsers
{
    public const string Password = "Test-Password-123";

    public static async Task<string> CreateAsync(MarketplaceFixture fixture, string role, int? laCode = null, int? urn = null, string? providerName = null,
        bool canCommitSpend = false)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.example";
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Test " + role, CanCommitSpend = canCommitSpend };
        if (laCode is { } code) user.LocalAuthorityId = await db.LocalAuthorities.Where(l => l.Code == code).Select(l => l.Id).SingleAsync();
        if (urn is { } u) user.SchoolId = await db.Schools.Where(s => s.Urn == u).Select(s => s.Id).SingleAsync();
        if (providerName is not null) user.ProviderId = await db.Providers.Where(p => p.Name == providerName).Select(p => p.Id).SingleAsync();
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
        return email;
    }

    public static async Task<HttpClient> ClientForNewAsync(MarketplaceFixture fixture, string role, int? laCode = null, int? urn = null, string? providerName = null,
        bool canCommitSpend = false) =>
        await fixture.ClientFor(await CreateAsync(fixture, role, laCode, urn, providerName, canCommitSpend), Password);
}
