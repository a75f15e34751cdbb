using Marketplace.Application.Common;
using System.Net;
using System.Net.Http.Json;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Identity;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Subscriptions;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.Subscriptions;

[Trait("Category", "DateSensitive")]
public class PolicyAndPayerTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task The_LAs_policy_decides_who_pays_for_a_concern_enrolment()
    {
        var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        var policy = await (await commissioner.GetAsync("/api/v1/las/816/subscription-policy")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("fund", policy.GetProperty("concernPayer").GetString());

        var saved = await (await commissioner.PutAsJsonAsync("/api/v1/las/816/subscription-policy", new
        {
            concern = new { payer = "split", fundName = "Schools Causing Concern Fund", schoolShareBasisPoints = 2_500 },
            renewalWindowDays = 45,
        })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2_500, saved.GetProperty("concernSchoolShareBasisPoints").GetInt32());

        var school = await Fixture.YorkSchoolAsync(Tier.Bronze);
        await (await commissioner.PostJsonAsync("/api/v1/las/816/ofsted-outcomes",
            new { urn = school.Urn, inspectionDate = Fixture.Clock.Today().AddDays(-5).ToString("yyyy-MM-dd"), grade = 4 })).JsonAsync(HttpStatusCode.OK);

        var upgrade = (await Fixture.ActiveSubscriptionAsync(school.Id))!.Changes.Single(c => c.Kind == SubscriptionChangeKind.Upgraded);
        Assert.Equal((upgrade.FeePence * 2_500 + 5_000) / 10_000, upgrade.SchoolSharePence); // a quarter, rounded half up to the penny
        Assert.Equal(upgrade.FeePence - upgrade.SchoolSharePence, upgrade.FundSharePence);
        Assert.True(upgrade.FundSharePence > upgrade.SchoolSharePence);
        Assert.Equal("Schools Causing Concern Fund", upgrade.FundName);
    }

    [Fact]
    public async Task Bad_policies_are_refused_and_change_nothing()
    {
        var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);

        await (await commissioner.PutAsJsonAsync("/api/v1/las/816/subscription-policy", new { concern = new { payer = "bank" }, renewalWindowDays = 60 }))
            .ProblemAsync(HttpStatusCode.BadRequest, "concern.payer");
        await (await commissioner.PutAsJsonAsync("/api/v1/las/816/subscription-policy", new { concern = new { payer = "split", fundName = "SCC" }, renewalWindowDays = 5 }))
            .ProblemAsync(HttpStatusCode.BadRequest, "concern.schoolShareBasisPoints", "renewalWindowDays");
        await (await commissioner.PutAsJsonAsync("/api/v1/las/816/subscription-policy", new { periodBasisOverride = "lunar", concern = new { payer = "school" }, renewalWindowDays = 60 }))
            .ProblemAsync(HttpStatusCode.BadRequest, "periodBasisOverride");
        var northYorkshire = await TestUsers.ClientForNewAsync(Fixture, Roles.LaCommissioner, laCode: DemoAccounts.NorthYorkshireCode);
        await (await northYorkshire.PutAsJsonAsync("/api/v1/las/816/subscription-policy", new { concern = new { payer = "school" }, renewalWindowDays = 60 }))
            .ProblemAsync(HttpStatusCode.Forbidden);

        var policy = await (await commissioner.GetAsync("/api/v1/las/816/subscription-policy")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("fund", 60), (policy.GetProperty("concernPayer").GetString(), policy.GetProperty("renewalWindowDays").GetInt32()));
    }

    [Fact]
    public async Task The_LA_can_have_a_fund_pay_for_a_schools_subscription_from_now_on()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);

        var view = await (await commissioner.PutAsJsonAsync($"/api/v1/las/816/schools/{school.Urn}/subscription/payer",
            new { payer = "fund", fundName = "Cluster fund (Acomb and Westfield)" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("fund", view.GetProperty("current").GetProperty("payer").GetString());

        var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var upgraded = await (await buyer.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/upgrade", new { tier = "gold" })).JsonAsync(HttpStatusCode.OK);
        var change = upgraded.GetProperty("current").GetProperty("changes").EnumerateArray().Last();
        Assert.Equal(0, change.GetProperty("schoolSharePence").GetInt64());
        Assert.Equal(change.GetProperty("feePence").GetInt64(), change.GetProperty("fundSharePence").GetInt64());
        Assert.Equal("Cluster fund (Acomb and Westfield)", change.GetProperty("fundName").GetString());
        // What was charged before keeps its split.
        var started = upgraded.GetProperty("current").GetProperty("changes")[0];
        Assert.Equal(started.GetProperty("feePence").GetInt64(), started.GetProperty("schoolSharePence").GetInt64());

        await (await commissioner.PutAsJsonAsync($"/api/v1/las/816/schools/{school.Urn}/subscription/payer", new { payer = "fund" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "fundName");
        var audit = await (await commissioner.GetAsync($"/api/v1/las/816/audit?urn={school.Urn}")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "subscription.payer");
    }
}
