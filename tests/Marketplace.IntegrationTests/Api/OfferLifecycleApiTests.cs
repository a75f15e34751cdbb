using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.DemoWorld;
using Marketplace.IntegrationTests.Infrastructure;

namespace Marketplace.IntegrationTests.Api;

public class OfferLifecycleApiTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private async Task<Guid> CreateDraftAsync(HttpClient provider, string title = "Assessment without levels: a consultancy day")
    {
        var response = await provider.PostJsonAsync("/api/v1/offers", OfferBodies.Valid(title));
        var created = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/offers/{created.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        Assert.Equal("draft", created.GetProperty("status").GetString());
        return created.GetProperty("id").GetGuid();
    }

    private async Task<bool> ListedAsync(string title)
    {
        using var anonymous = Fixture.Client();
        var page = await (await anonymous.GetAsync($"/api/v1/offers?q={Uri.EscapeDataString(title)}&pageSize=100")).JsonAsync(HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray().Any(o => o.GetProperty("title").GetString() == title);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, Guid id) =>
        await (await client.GetAsync($"/api/v1/offers/{id}")).JsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task Draft_submitted_and_approved_by_the_home_LA_appears_in_the_catalogue()
    {
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        using var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        var id = await CreateDraftAsync(provider);
        Assert.False(await ListedAsync("Assessment without levels: a consultancy day"));

        (await provider.PostJsonAsync($"/api/v1/offers/{id}/submit")).EnsureSuccessStatusCode();
        var queue = await (await commissioner.GetAsync("/api/v1/las/816/approvals")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(queue.EnumerateArray(), o => o.GetProperty("id").GetGuid() == id);
        Assert.False(await ListedAsync("Assessment without levels: a consultancy day"));

        var approved = await (await commissioner.PostJsonAsync($"/api/v1/offers/{id}/approve")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("published", approved.GetProperty("status").GetString());
        Assert.True(await ListedAsync("Assessment without levels: a consultancy day"));
        using var anonymous = Fixture.Client();
        var seen = await GetAsync(anonymous, id);
        Assert.Equal(47500, seen.GetProperty("pricePence").GetInt64());
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("rowVersion").ValueKind);
    }

    [Fact]
    public async Task Editing_a_published_offer_makes_a_new_version_while_buyers_keep_the_approved_one()
    {
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        using var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        using var anonymous = Fixture.Client();
        var id = await CreateDraftAsync(provider);
        await provider.PostJsonAsync($"/api/v1/offers/{id}/submit");
        await commissioner.PostJsonAsync($"/api/v1/offers/{id}/approve");

        var edited = await (await provider.PutAsJsonAsync($"/api/v1/offers/{id}", OfferBodies.With("priceCredits", 12))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(2, edited.GetProperty("version").GetInt32());
        Assert.Equal("draft", edited.GetProperty("status").GetString());
        Assert.Equal(1, edited.GetProperty("publishedVersion").GetInt32());
        var buyersView = await GetAsync(anonymous, id);
        Assert.Equal(1, buyersView.GetProperty("version").GetInt32());
        Assert.Equal(10, buyersView.GetProperty("priceCredits").GetInt32());

        await provider.PostJsonAsync($"/api/v1/offers/{id}/submit");
        await commissioner.PostJsonAsync($"/api/v1/offers/{id}/approve");

        buyersView = await GetAsync(anonymous, id);
        Assert.Equal(2, buyersView.GetProperty("version").GetInt32());
        Assert.Equal(12, buyersView.GetProperty("priceCredits").GetInt32());
    }

    [Fact]
    public async Task A_rejected_offer_returns_to_draft_with_the_reason()
    {
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        using var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        var id = await CreateDraftAsync(provider);
        await provider.PostJsonAsync($"/api/v1/offers/{id}/submit");

        var rejected = await (await commissioner.PostJsonAsync($"/api/v1/offers/{id}/reject", new { reason = "Add measurable standards" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("draft", rejected.GetProperty("status").GetString());
        var providersView = await GetAsync(provider, id);
        Assert.Equal("Add measurable standards", providersView.GetProperty("rejectionReason").GetString());
    }

    [Fact]
    public async Task A_withdrawn_offer_leaves_the_catalogue()
    {
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        using var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        var id = await CreateDraftAsync(provider);
        await provider.PostJsonAsync($"/api/v1/offers/{id}/submit");
        await commissioner.PostJsonAsync($"/api/v1/offers/{id}/approve");

        (await provider.PostJsonAsync($"/api/v1/offers/{id}/withdraw")).EnsureSuccessStatusCode();

        Assert.False(await ListedAsync("Assessment without levels: a consultancy day"));
        using var anonymous = Fixture.Client();
        await (await anonymous.GetAsync($"/api/v1/offers/{id}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Illegal_moves_are_409_and_change_nothing()
    {
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        using var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        var id = await CreateDraftAsync(provider);
        var before = await GetAsync(provider, id);

        await (await commissioner.PostJsonAsync($"/api/v1/offers/{id}/approve")).ProblemAsync(HttpStatusCode.Conflict);
        (await provider.PostJsonAsync($"/api/v1/offers/{id}/submit")).EnsureSuccessStatusCode();
        await (await provider.PostJsonAsync($"/api/v1/offers/{id}/submit")).ProblemAsync(HttpStatusCode.Conflict);
        await (await provider.PutAsJsonAsync($"/api/v1/offers/{id}", OfferBodies.With("priceCredits", 99))).ProblemAsync(HttpStatusCode.Conflict);
        await (await commissioner.PostJsonAsync($"/api/v1/offers/{id}/reject", new { reason = "" })).ProblemAsync(HttpStatusCode.BadRequest, "reason");

        var after = await GetAsync(provider, id);
        Assert.Equal("awaitingApproval", after.GetProperty("status").GetString());
        Assert.Equal(before.GetProperty("priceCredits").GetInt32(), after.GetProperty("priceCredits").GetInt32());
        Assert.Equal(1, after.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_stale_edit_is_refused_with_409_and_the_newer_edit_stands()
    {
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var id = await CreateDraftAsync(provider);
        var read = await provider.GetAsync($"/api/v1/offers/{id}");
        var etag = read.Headers.ETag!.Tag;

        (await provider.SendWithIfMatchAsync(HttpMethod.Put, $"/api/v1/offers/{id}", OfferBodies.With("priceCredits", 11), etag)).EnsureSuccessStatusCode();
        var stale = await provider.SendWithIfMatchAsync(HttpMethod.Put, $"/api/v1/offers/{id}", OfferBodies.With("priceCredits", 15), etag);

        var problem = await stale.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("stale-write", problem.GetProperty("code").GetString());
        Assert.Equal(11, (await GetAsync(provider, id)).GetProperty("priceCredits").GetInt32());
    }

    public static TheoryData<string, object?, string> BadFields => new()
    {
        { "title", "", "title" },
        { "title", new string('x', 201), "title" },
        { "subject", "astrology", "subject" },
        { "phases", Array.Empty<string>(), "phases" },
        { "pricePence", -1, "pricePence" },
        { "priceCredits", 0, "priceCredits" },
        { "unit", null, "unit" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task An_invalid_offer_gets_field_errors_and_nothing_is_created(string field, object? value, string errorField)
    {
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var providerId = (await (await provider.GetAsync("/api/v1/me")).JsonAsync(HttpStatusCode.OK)).GetProperty("providerId").GetGuid();
        var before = (await (await provider.GetAsync($"/api/v1/providers/{providerId}/offers")).JsonAsync(HttpStatusCode.OK)).GetArrayLength();

        await (await provider.PostJsonAsync("/api/v1/offers", OfferBodies.With(field, value))).ProblemAsync(HttpStatusCode.BadRequest, errorField);

        var after = (await (await provider.GetAsync($"/api/v1/providers/{providerId}/offers")).JsonAsync(HttpStatusCode.OK)).GetArrayLength();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task An_offer_no_tier_may_buy_is_refused()
    {
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var body = OfferBodies.Valid();
        body["bronzeCredits"] = null;
        body["silverCredits"] = null;
        body["goldCredits"] = null;

        await (await provider.PostJsonAsync("/api/v1/offers", body)).ProblemAsync(HttpStatusCode.BadRequest, "tierPrices");
    }

    [Fact]
    public async Task A_malformed_body_is_a_400_problem()
    {
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);

        var response = await provider.PostAsync("/api/v1/offers", new StringContent("{\"title\": ", System.Text.Encoding.UTF8, "application/json"));

        await response.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Another_provider_cannot_edit_a_published_offer_403_or_see_a_draft_404()
    {
        using var york = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        using var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        using var ebor = await Fixture.ClientFor(DemoAccounts.Ebor);
        var draft = await CreateDraftAsync(york, "A draft nobody else may see");
        var published = await CreateDraftAsync(york, "A published offer others may only read");
        await york.PostJsonAsync($"/api/v1/offers/{published}/submit");
        await commissioner.PostJsonAsync($"/api/v1/offers/{published}/approve");

        await (await ebor.GetAsync($"/api/v1/offers/{draft}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await ebor.PutAsJsonAsync($"/api/v1/offers/{draft}", OfferBodies.Valid())).ProblemAsync(HttpStatusCode.NotFound);
        await (await ebor.PutAsJsonAsync($"/api/v1/offers/{published}", OfferBodies.Valid())).ProblemAsync(HttpStatusCode.Forbidden);
        await (await ebor.PostJsonAsync($"/api/v1/offers/{published}/withdraw")).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.True(await ListedAsync("A published offer others may only read"));
    }

    [Fact]
    public async Task A_commissioner_of_another_LA_cannot_approve()
    {
        using var york = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var id = await CreateDraftAsync(york);
        await york.PostJsonAsync($"/api/v1/offers/{id}/submit");
        using var otherLa = await TestUsers.ClientForNewAsync(Fixture, Marketplace.Application.Identity.Roles.LaCommissioner, laCode: DemoAccounts.NorthYorkshireCode);

        await (await otherLa.PostJsonAsync($"/api/v1/offers/{id}/approve")).ProblemAsync(HttpStatusCode.NotFound);
        await (await otherLa.GetAsync("/api/v1/las/816/approvals")).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.False(await ListedAsync("Assessment without levels: a consultancy day"));
    }

    [Fact]
    public async Task A_buyer_cannot_create_offers()
    {
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);

        await (await buyer.PostJsonAsync("/api/v1/offers", OfferBodies.Valid())).ProblemAsync(HttpStatusCode.Forbidden);
    }
}
