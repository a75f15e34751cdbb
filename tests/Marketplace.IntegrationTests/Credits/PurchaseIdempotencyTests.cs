using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Data;
using Marketplace.Application.DemoWorld;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Credits;

[Trait("Category", "DateSensitive")]
public class PurchaseIdempotencyTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private long _startingBalance;

    private async Task<(HttpClient Client, int Urn)> BuyerAsync()
    {
        var client = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/schools");
        var urn = me.GetProperty("items")[0].GetProperty("urn").GetInt32();
        _startingBalance = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/schools/{urn}/credits")).GetProperty("balance").GetInt64();
        return (client, urn);
    }

    private static HttpRequestMessage Purchase(int urn, string? key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{urn}/credits/purchases") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    /// <summary>Credits added since the test began (the demo school starts with its allowance and earlier top-ups).</summary>
    private async Task<long> BalanceAsync(HttpClient client, int urn) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/schools/{urn}/credits")).GetProperty("balance").GetInt64() - _startingBalance;

    [Fact]
    public async Task A_purchase_is_recorded_on_account_at_the_LAs_credit_price()
    {
        var (client, urn) = await BuyerAsync();

        var response = await client.SendAsync(Purchase(urn, "k-1", new { credits = 10, purchaseOrderNumber = "PO-123" }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(10, body.GetProperty("credits").GetInt32());
        Assert.Equal(45_00, body.GetProperty("unitPricePence").GetInt64()); // York's £50 credit less the silver tier's 10% discount
        Assert.Equal(450_00, body.GetProperty("totalPence").GetInt64());
        Assert.Equal("PO-123", body.GetProperty("purchaseOrderNumber").GetString());
        Assert.Equal("onAccount", body.GetProperty("status").GetString());
        Assert.Equal(10, await BalanceAsync(client, urn));
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task The_same_key_and_body_returns_the_original_purchase_and_credits_once()
    {
        var (client, urn) = await BuyerAsync();
        var body = new { credits = 10, purchaseOrderNumber = "PO-123" };

        var first = await client.SendAsync(Purchase(urn, "same-key", body));
        var second = await client.SendAsync(Purchase(urn, "same-key", body));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(10, await BalanceAsync(client, urn));
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_refused_with_422_and_changes_nothing()
    {
        var (client, urn) = await BuyerAsync();
        await client.SendAsync(Purchase(urn, "reused", new { credits = 10, purchaseOrderNumber = "PO-123" }));

        var response = await client.SendAsync(Purchase(urn, "reused", new { credits = 20, purchaseOrderNumber = "PO-123" }));

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(10, await BalanceAsync(client, urn));
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_credit_once()
    {
        var (client, urn) = await BuyerAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12)
            .Select(_ => client.SendAsync(Purchase(urn, "racing-key", new { credits = 7, purchaseOrderNumber = "PO-9" }))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("purchaseId").GetGuid()));
        Assert.Single(ids.Distinct());
        Assert.Equal(7, await BalanceAsync(client, urn));
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>().CreditPurchases.CountAsync(p => p.CreatedByUserId != null)); // not the demo world's seeded top-ups
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Theory]
    [InlineData(null, 10, "Idempotency-Key")]
    [InlineData("k", 0, "credits")]
    [InlineData("k", 10_001, "credits")]
    public async Task Bad_purchases_get_field_errors_and_change_nothing(string? key, int credits, string field)
    {
        var (client, urn) = await BuyerAsync();

        var response = await client.SendAsync(Purchase(urn, key, new { credits }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected a field error for {field}: {problem}");
        Assert.Equal(0, await BalanceAsync(client, urn));
    }

    [Fact]
    public async Task A_buyer_cannot_buy_credits_for_another_school()
    {
        var (client, urn) = await BuyerAsync();
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var other = await scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>().Schools
            .Where(s => s.Urn != urn).OrderBy(s => s.Urn).Select(s => s.Urn).FirstAsync();

        var response = await client.SendAsync(Purchase(other, "k-other", new { credits = 5 }));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>().CreditPurchases.CountAsync(p => p.CreatedByUserId != null)); // not the demo world's seeded top-ups
    }
}
