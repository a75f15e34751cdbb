using System.Net;
using System.Net.Http.Headers;
using Marketplace.Application.DemoWorld;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.Credits;

/// <summary>
/// Data-protection keys live in PostgreSQL: a bearer token (protected by those keys, like the sign-in
/// cookie) issued by one app instance is accepted by another instance on the same database, as after a
/// restart or behind a load balancer.
/// </summary>
public class DataProtectionKeysTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task A_token_issued_by_one_instance_is_accepted_by_another_on_the_same_database()
    {
        using var first = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/schools")).StatusCode);
        Assert.True(await Fixture.DbAsync(db => db.DataProtectionKeys.AnyAsync()));

        await using var second = new MarketplaceApp(Fixture.ConnectionString, Fixture.Clock, Fixture.OwnerConnectionString);
        using var client = second.CreateClient();
        client.DefaultRequestHeaders.Authorization = first.DefaultRequestHeaders.Authorization;
        var accepted = await client.GetAsync("/api/v1/schools");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/schools")).StatusCode);
    }
}
