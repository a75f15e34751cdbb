using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Data;
using Marketplace.Domain.Catalogue;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Api;

public class CatalogueSearchTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private async Task<List<JsonElement>> SearchAsync(string query)
    {
        using var client = Fixture.Client();
        var page = await (await client.GetAsync("/api/v1/offers?" + query)).JsonAsync(HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    [Fact]
    public async Task Mathematics_for_primary_returns_published_York_offers()
    {
        var items = await SearchAsync("subject=mathematics&phase=primary&la=816&pageSize=100");

        Assert.NotEmpty(items);
        Assert.All(items, o =>
        {
            Assert.Equal("mathematics", o.GetProperty("subject").GetString());
            Assert.Contains("primary", o.GetProperty("phases").EnumerateArray().Select(p => p.GetString()));
            Assert.Equal(816, o.GetProperty("provider").GetProperty("laCode").GetInt32());
        });
    }

    [Fact]
    public async Task Filter_names_are_case_insensitive()
    {
        var lower = await SearchAsync("subject=mathematics&phase=primary&pageSize=100");
        var mixed = await SearchAsync("subject=Mathematics&phase=PRIMARY&pageSize=100");

        Assert.NotEmpty(lower);
        Assert.Equal(lower.Select(o => o.GetProperty("id").GetGuid()), mixed.Select(o => o.GetProperty("id").GetGuid()));
    }

    [Theory]
    [InlineData("category=cpdCourse", "category", "cpdCourse")]
    [InlineData("category=systemLeaderDeployment", "category", "systemLeaderDeployment")]
    [InlineData("providerKind=schoolToSchool", "provider.kind", "schoolToSchool")]
    [InlineData("providerKind=externalConsultant", "provider.kind", "externalConsultant")]
    [InlineData("subject=pupil-premium", "subject", "pupilPremium")]
    public async Task Each_filter_keeps_only_matching_offers(string query, string path, string expected)
    {
        var items = await SearchAsync(query + "&pageSize=100");

        Assert.NotEmpty(items);
        Assert.All(items, o =>
        {
            var value = path.Split('.').Aggregate(o, (e, p) => e.GetProperty(p));
            Assert.Equal(expected, value.GetString());
        });
    }

    [Fact]
    public async Task The_tier_filter_keeps_offers_that_tier_may_buy()
    {
        using var client = Fixture.Client();
        var bronze = await (await client.GetAsync("/api/v1/offers?tier=bronze&pageSize=100")).JsonAsync(HttpStatusCode.OK);
        var all = await (await client.GetAsync("/api/v1/offers?pageSize=1")).JsonAsync(HttpStatusCode.OK);

        var items = bronze.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, o => Assert.Equal(JsonValueKind.Number, o.GetProperty("tierPrices").GetProperty("bronze").ValueKind));
        Assert.True(bronze.GetProperty("totalCount").GetInt32() < all.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task An_LA_name_means_that_LA_only()
    {
        var york = await SearchAsync("la=york&pageSize=100");

        Assert.NotEmpty(york);
        Assert.All(york, o => Assert.Equal("City of York", o.GetProperty("provider").GetProperty("laName").GetString()));
    }

    [Fact]
    public async Task Searching_maths_finds_mathematics_offers()
    {
        var items = await SearchAsync("q=maths&pageSize=100");

        Assert.NotEmpty(items);
        Assert.All(items, o => Assert.Contains("athematics", o.GetProperty("title").GetString() + o.GetProperty("summary").GetString()));
    }

    [Fact]
    public async Task Free_text_matches_the_provider_name()
    {
        var items = await SearchAsync("q=Ebor&pageSize=100");

        Assert.NotEmpty(items);
        Assert.All(items, o => Assert.Equal("Ebor Teaching School Alliance", o.GetProperty("provider").GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Sorting_by_price_orders_by_credits()
    {
        var ascending = (await SearchAsync("sort=price&pageSize=100")).Select(o => o.GetProperty("priceCredits").GetInt32()).ToList();
        var descending = (await SearchAsync("sort=-price&pageSize=100")).Select(o => o.GetProperty("priceCredits").GetInt32()).ToList();

        Assert.Equal(ascending.Order(), ascending);
        Assert.Equal(descending.OrderDescending(), descending);
        Assert.True(ascending[0] < descending[0]);
    }

    [Fact]
    public async Task Paging_returns_the_total_and_distinct_pages()
    {
        using var client = Fixture.Client();
        var first = await (await client.GetAsync("/api/v1/offers?sort=title&pageSize=10&page=1")).JsonAsync(HttpStatusCode.OK);
        var second = await (await client.GetAsync("/api/v1/offers?sort=title&pageSize=10&page=2")).JsonAsync(HttpStatusCode.OK);

        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var listed = await scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>().Offers
            .CountAsync(o => o.PublishedVersionId != null && o.Status != OfferStatus.Withdrawn);
        Assert.Equal(listed, first.GetProperty("totalCount").GetInt32());
        Assert.Equal((listed + 9) / 10, first.GetProperty("totalPages").GetInt32());
        var ids1 = first.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToList();
        var ids2 = second.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(10, ids1.Count);
        Assert.Empty(ids1.Intersect(ids2));
    }

    [Fact]
    public async Task Drafts_pending_and_withdrawn_offers_never_appear()
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var hidden = await db.Offers.Where(o => o.PublishedVersionId == null || o.Status == OfferStatus.Withdrawn).Select(o => o.Id).ToListAsync();
        Assert.NotEmpty(hidden);

        var shown = new HashSet<Guid>();
        for (var page = 1; ; page++)
        {
            var items = await SearchAsync($"pageSize=100&page={page}");
            if (items.Count == 0) break;
            shown.UnionWith(items.Select(o => o.GetProperty("id").GetGuid()));
        }

        Assert.Empty(shown.Intersect(hidden));
    }

    [Theory]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("100%")]
    public async Task Wildcard_characters_in_free_text_are_matched_literally(string q)
    {
        Assert.Empty(await SearchAsync($"q={Uri.EscapeDataString(q)}&pageSize=100")); // no demo title has them
        const string title = "Raising attendance: 100% club and year_6 transition";
        using var provider = await Fixture.ClientFor(Marketplace.Application.DemoWorld.DemoAccounts.YorkProviderTeam);
        using var commissioner = await Fixture.ClientFor(Marketplace.Application.DemoWorld.DemoAccounts.YorkCommissioner);
        var id = (await (await provider.PostJsonAsync("/api/v1/offers", OfferBodies.Valid(title))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await provider.PostJsonAsync($"/api/v1/offers/{id}/submit");
        (await commissioner.PostJsonAsync($"/api/v1/offers/{id}/approve")).EnsureSuccessStatusCode();

        var items = await SearchAsync($"q={Uri.EscapeDataString(q)}&pageSize=100");

        Assert.Equal([title], items.Select(o => o.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task A_cached_search_sees_a_change_made_straight_in_the_database()
    {
        var before = await SearchAsync("q=Ebor&pageSize=100");
        var withdrawn = before[0].GetProperty("id").GetGuid();
        Assert.Equal(before.Count, (await SearchAsync("q=Ebor&pageSize=100")).Count); // now served from the cache

        await using (var conn = new Npgsql.NpgsqlConnection(Fixture.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand($"UPDATE offers SET status = 'Withdrawn' WHERE id = '{withdrawn}'", conn);
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }

        var after = await SearchAsync("q=Ebor&pageSize=100");
        Assert.Equal(before.Count - 1, after.Count);
        Assert.DoesNotContain(after, o => o.GetProperty("id").GetGuid() == withdrawn);
    }

    [Theory]
    [InlineData("subject=astrology", "subject")]
    [InlineData("phase=7", "phase")]
    [InlineData("tier=platinum", "tier")]
    [InlineData("sort=cheapest", "sort")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("page=0", "page")]
    public async Task Bad_search_parameters_get_a_400_problem_naming_the_field(string query, string field)
    {
        using var client = Fixture.Client();

        var response = await client.GetAsync("/api/v1/offers?" + query);

        await response.ProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_non_numeric_page_is_a_400_problem_not_a_500()
    {
        using var client = Fixture.Client();

        var response = await client.GetAsync("/api/v1/offers?page=abc");

        await response.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_unknown_offer_id_is_404()
    {
        using var client = Fixture.Client();

        await (await client.GetAsync($"/api/v1/offers/{Guid.NewGuid()}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/v1/offers/not-a-guid")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
