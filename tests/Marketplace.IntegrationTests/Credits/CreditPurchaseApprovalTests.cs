using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Data;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Identity;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Credits;

/// <summary>
/// York's approval limit is £500: at the demo school's £45 a credit, 11 credits (£495) go through for a requester,
/// 12 (£540) wait for the school's approver.
/// </summary>
public class CreditPurchaseApprovalTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private async Task<int> UrnAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/schools")).GetProperty("items")[0].GetProperty("urn").GetInt32();

    private static async Task<long> BalanceAsync(HttpClient client, int urn) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/schools/{urn}/credits")).GetProperty("balance").GetInt64();

    private static Task<HttpResponseMessage> PurchaseAsync(HttpClient client, int urn, int credits, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{urn}/credits/purchases")
        {
            Content = JsonContent.Create(new { credits, purchaseOrderNumber = "PO-77" }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private async Task<int> PurchaseCountAsync()
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>().CreditPurchases.CountAsync();
    }

    private async Task<(HttpClient Requester, HttpClient Approver, int Urn, Guid RequestId, long Balance)> PendingRequestAsync(int credits = 12)
    {
        var requester = await Fixture.ClientFor(DemoAccounts.YorkRequester);
        var approver = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var urn = await UrnAsync(requester);
        var balance = await BalanceAsync(requester, urn);
        var response = await PurchaseAsync(requester, urn, credits, Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (requester, approver, urn, body.GetProperty("id").GetGuid(), balance);
    }

    [Fact]
    public async Task A_requester_within_the_limit_buys_at_once()
    {
        var requester = await Fixture.ClientFor(DemoAccounts.YorkRequester);
        var urn = await UrnAsync(requester);
        var before = await BalanceAsync(requester, urn);

        var response = await PurchaseAsync(requester, urn, 11, "within-limit");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(495_00, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("totalPence").GetInt64());
        Assert.Equal(before + 11, await BalanceAsync(requester, urn));
    }

    [Fact]
    public async Task A_requester_above_the_limit_gets_202_with_a_pending_request_and_nothing_is_bought()
    {
        var purchasesBefore = await PurchaseCountAsync();
        var (requester, _, urn, id, balance) = await PendingRequestAsync();

        Assert.Equal(balance, await BalanceAsync(requester, urn));
        Assert.Equal(purchasesBefore, await PurchaseCountAsync());
        var list = await requester.GetFromJsonAsync<JsonElement>($"/api/v1/schools/{urn}/credits/purchase-requests");
        var request = list.GetProperty("requests").EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == id);
        Assert.Equal("pending", request.GetProperty("status").GetString());
        Assert.Equal(12, request.GetProperty("credits").GetInt32());
        Assert.Equal(540_00, request.GetProperty("quotedTotalPence").GetInt64());
        Assert.Equal("PO-77", request.GetProperty("purchaseOrderNumber").GetString());
        Assert.False(list.GetProperty("mayApprove").GetBoolean());
    }

    [Fact]
    public async Task The_same_key_records_one_request()
    {
        var requester = await Fixture.ClientFor(DemoAccounts.YorkRequester);
        var urn = await UrnAsync(requester);

        var first = await (await PurchaseAsync(requester, urn, 12, "one-request")).Content.ReadFromJsonAsync<JsonElement>();
        var second = await PurchaseAsync(requester, urn, 12, "one-request");

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(first.GetProperty("id").GetGuid(), (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        var list = await requester.GetFromJsonAsync<JsonElement>($"/api/v1/schools/{urn}/credits/purchase-requests");
        Assert.Single(list.GetProperty("requests").EnumerateArray());
    }

    [Fact]
    public async Task The_approver_approves_and_the_credits_are_bought_once_approving_again_is_409()
    {
        var purchasesBefore = await PurchaseCountAsync();
        var (_, approver, urn, id, balance) = await PendingRequestAsync();

        var approved = await approver.PostAsync($"/api/v1/schools/{urn}/credits/purchase-requests/{id}/approve", null);
        var again = await approver.PostAsync($"/api/v1/schools/{urn}/credits/purchase-requests/{id}/approve", null);

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var body = await approved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("approved", body.GetProperty("request").GetProperty("status").GetString());
        Assert.Equal(540_00, body.GetProperty("purchase").GetProperty("totalPence").GetInt64());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(balance + 12, await BalanceAsync(approver, urn));
        Assert.Equal(purchasesBefore + 1, await PurchaseCountAsync());
    }

    [Fact]
    public async Task Parallel_approvals_buy_exactly_once()
    {
        var purchasesBefore = await PurchaseCountAsync();
        var (_, approver, urn, id, balance) = await PendingRequestAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => approver.PostAsync($"/api/v1/schools/{urn}/credits/purchase-requests/{id}/approve", null)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(balance + 12, await BalanceAsync(approver, urn));
        Assert.Equal(purchasesBefore + 1, await PurchaseCountAsync());
    }

    [Fact]
    public async Task A_declined_request_buys_nothing_and_cannot_then_be_approved()
    {
        var purchasesBefore = await PurchaseCountAsync();
        var (_, approver, urn, id, balance) = await PendingRequestAsync();

        var declined = await approver.PostAsJsonAsync($"/api/v1/schools/{urn}/credits/purchase-requests/{id}/decline", new { reason = "Over this term's budget" });
        var approved = await approver.PostAsync($"/api/v1/schools/{urn}/credits/purchase-requests/{id}/approve", null);

        Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        var body = await declined.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("declined", body.GetProperty("status").GetString());
        Assert.Equal("Over this term's budget", body.GetProperty("declineReason").GetString());
        Assert.Equal(HttpStatusCode.Conflict, approved.StatusCode);
        Assert.Equal(balance, await BalanceAsync(approver, urn));
        Assert.Equal(purchasesBefore, await PurchaseCountAsync());
    }

    [Fact]
    public async Task The_requester_cannot_approve_their_own_request()
    {
        var (requester, _, urn, id, balance) = await PendingRequestAsync();

        var response = await requester.PostAsync($"/api/v1/schools/{urn}/credits/purchase-requests/{id}/approve", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(balance, await BalanceAsync(requester, urn));
    }

    [Fact]
    public async Task Another_schools_buyer_and_another_LAs_commissioner_get_404()
    {
        var (_, _, urn, id, _) = await PendingRequestAsync();
        int otherUrn;
        await using (var scope = Fixture.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
            otherUrn = await db.Schools.Where(s => s.Urn != urn).OrderBy(s => s.Urn).Select(s => s.Urn).FirstAsync();
        }
        using var otherBuyer = await TestUsers.ClientForNewAsync(Fixture, Roles.SchoolBuyer, urn: otherUrn, canCommitSpend: true);
        using var otherLa = await TestUsers.ClientForNewAsync(Fixture, Roles.LaCommissioner, laCode: DemoAccounts.NorthYorkshireCode);

        foreach (var client in new[] { otherBuyer, otherLa })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/schools/{urn}/credits/purchase-requests")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/v1/schools/{urn}/credits/purchase-requests/{id}/approve", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound,
                (await client.PostAsJsonAsync($"/api/v1/schools/{urn}/credits/purchase-requests/{id}/decline", new { reason = "No" })).StatusCode);
        }
        // The other school's own approver cannot reach this school's request through its own URN either.
        Assert.Equal(HttpStatusCode.NotFound, (await otherBuyer.PostAsync($"/api/v1/schools/{otherUrn}/credits/purchase-requests/{id}/approve", null)).StatusCode);
    }

    [Fact]
    public async Task The_LAs_commissioner_sets_the_limit_and_a_requester_then_buys_above_the_old_one()
    {
        var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        var policy = await commissioner.GetFromJsonAsync<JsonElement>($"/api/v1/las/{DemoAccounts.YorkCode}/subscription-policy");
        Assert.Equal(500_00, policy.GetProperty("creditPurchaseApprovalLimitPence").GetInt64());

        var refused = await commissioner.PutAsJsonAsync($"/api/v1/las/{DemoAccounts.YorkCode}/subscription-policy",
            new { renewalWindowDays = 60, concern = new { payer = "fund", fundName = "Schools Causing Concern Fund" }, creditPurchaseApprovalLimitPence = -1 });
        var saved = await commissioner.PutAsJsonAsync($"/api/v1/las/{DemoAccounts.YorkCode}/subscription-policy",
            new { renewalWindowDays = 60, concern = new { payer = "fund", fundName = "Schools Causing Concern Fund" }, creditPurchaseApprovalLimitPence = 1000_00 });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(1000_00, (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("creditPurchaseApprovalLimitPence").GetInt64());
        var requester = await Fixture.ClientFor(DemoAccounts.YorkRequester);
        var urn = await UrnAsync(requester);
        Assert.Equal(HttpStatusCode.Created, (await PurchaseAsync(requester, urn, 12, "new-limit")).StatusCode);
    }
}
