using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.IntegrationTests.Infrastructure;

namespace Marketplace.IntegrationTests.Api;

public class CatalogueSearchTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Mathematics_for_primary_returns_published_York_offers()
    {
        using var client = Fixture.Client();
        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/offers?subject=mathematics&phase=primary&la=816&pageSize=100");

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.Equal(items.Count, page.GetProperty("totalCount").GetInt32());
        Assert.All(items, o =>
        {
            Assert.Equal("mathematics", o.GetProperty("subject").GetString());
            Assert.Contains("primary", o.GetProperty("phases").EnumerateArray().Select(p => p.GetString()));
            Assert.Equal(816, o.GetProperty("provider").GetProperty("laCode").GetInt32());
        });
    }
}
