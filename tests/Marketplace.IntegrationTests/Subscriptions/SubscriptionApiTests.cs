using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Common;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Identity;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Credits;
using Marketplace.Domain.Subscriptions;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.Subscriptions;

[Trait("Category", "DateSensitive")]
public class SubscriptionApiTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task The_school_sees_its_subscription_with_package_entitlements_and_a_balance_by_source()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var client = await Fixture.ClientFor(DemoAccounts.YorkBuyer);

        var view = await (await client.GetAsync($"/api/v1/schools/{school.Urn}/subscription")).JsonAsync(HttpStatusCode.OK);
        var credits = await (await client.GetAsync($"/api/v1/schools/{school.Urn}/credits")).JsonAsync(HttpStatusCode.OK);

        var current = view.GetProperty("current");
        Assert.Equal("silver", current.GetProperty("tier").GetString());
        Assert.Equal("financialYear", current.GetProperty("basis").GetString()); // a maintained school follows the financial year
        Assert.Equal("04-01", current.GetProperty("periodStart").GetString()![5..]);
        Assert.Equal(1_500_00 + 6_00 * school.PupilsOnRoll, current.GetProperty("feePence").GetInt64());
        Assert.Equal(3, current.GetProperty("package").GetProperty("adviserSessions").GetInt32());
        Assert.True(current.GetProperty("package").GetProperty("namedLinkAdviser").GetBoolean());
        Assert.True(view.GetProperty("canCommitSpend").GetBoolean());
        Assert.Contains(credits.GetProperty("bySource").EnumerateArray(), s => s.GetProperty("source").GetString() == "allowance");
    }

    [Fact]
    public async Task An_academy_subscribes_for_the_academic_year()
    {
        var academySubs = await Fixture.DbAsync(db => db.Subscriptions.Where(s => db.Schools.Any(x => x.Id == s.SchoolId && x.Type == Domain.Organisations.SchoolType.Academy))
            .Select(s => new { s.Basis, s.PeriodStart }).ToListAsync());
        Assert.NotEmpty(academySubs);
        Assert.All(academySubs, s => { Assert.Equal(PeriodBasis.AcademicYear, s.Basis); Assert.Equal(9, s.PeriodStart.Month); });
    }

    [Fact]
    public async Task An_upgrade_charges_and_grants_the_difference_prorated_by_days_remaining()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var before = await Fixture.ActiveSubscriptionAsync(school.Id);
        var balanceBefore = await Fixture.WalletBalanceAsync(school.Id);
        var client = await Fixture.ClientFor(DemoAccounts.YorkBuyer);

        var view = await (await client.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/upgrade", new { tier = "gold" })).JsonAsync(HttpStatusCode.OK);

        var today = Fixture.Clock.Today();
        var gold = await Fixture.DbAsync(db => db.TierPackages.SingleAsync(p => p.LocalAuthorityId == before!.LocalAuthorityId && p.Year == before.PeriodStart.Year && p.Tier == Tier.Gold));
        var expectedCredits = Proration.Credits(gold.CreditsIncluded - before!.CreditsIncluded, before.Period, today);
        var expectedFee = Proration.Fee(gold.FeeFor(school.PupilsOnRoll) - before.FeePence, before.Period, today);
        var change = view.GetProperty("current").GetProperty("changes").EnumerateArray().Last();
        Assert.Equal("upgraded", change.GetProperty("kind").GetString());
        Assert.Equal(expectedCredits, change.GetProperty("credits").GetInt32());
        Assert.Equal(expectedFee, change.GetProperty("feePence").GetInt64());
        Assert.Equal(balanceBefore + expectedCredits, await Fixture.WalletBalanceAsync(school.Id));
        Assert.Equal("gold", view.GetProperty("current").GetProperty("tier").GetString());
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task Only_a_buyer_authorised_to_commit_spend_can_change_the_subscription()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var requester = await Fixture.ClientFor(DemoAccounts.YorkRequester);
        var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);

        await (await requester.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/upgrade", new { tier = "gold" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await commissioner.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/upgrade", new { tier = "gold" })).ProblemAsync(HttpStatusCode.Forbidden);
        // The requester can still see it.
        await (await requester.GetAsync($"/api/v1/schools/{school.Urn}/subscription")).JsonAsync(HttpStatusCode.OK);

        var after = await Fixture.ActiveSubscriptionAsync(school.Id);
        Assert.Equal(Tier.Silver, after!.Tier);
        Assert.Single(after.Changes);
    }

    [Fact]
    public async Task A_downgrade_waits_for_the_next_period_and_notice_follows_the_package()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var client = await Fixture.ClientFor(DemoAccounts.YorkBuyer);

        var down = await (await client.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/downgrade", new { tier = "bronze" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("silver", down.GetProperty("current").GetProperty("tier").GetString());
        Assert.Equal("bronze", down.GetProperty("current").GetProperty("renewsAt").GetString());

        await (await client.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/downgrade", new { tier = "gold" })).ProblemAsync(HttpStatusCode.Conflict);

        var notice = await (await client.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/notice", new { reason = "Joining a trust" })).JsonAsync(HttpStatusCode.OK);
        var current = notice.GetProperty("current");
        var periodEnd = DateOnly.Parse(current.GetProperty("periodEnd").GetString()!);
        var today = Fixture.Clock.Today();
        var expected = periodEnd.DayNumber - today.DayNumber >= 90 ? periodEnd : periodEnd.AddYears(1);
        Assert.Equal(expected, DateOnly.Parse(current.GetProperty("endsOn").GetString()!));
        await (await client.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/notice", new { reason = "again" })).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_school_joining_part_way_through_pays_and_receives_the_days_remaining()
    {
        var school = await Fixture.YorkSchoolAsync(tier: null);
        var client = await TestUsers.ClientForNewAsync(Fixture, Roles.SchoolBuyer, urn: school.Urn, canCommitSpend: true);

        var view = await (await client.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription", new { tier = "bronze" })).JsonAsync(HttpStatusCode.Created);

        var current = view.GetProperty("current");
        var period = new Period(DateOnly.Parse(current.GetProperty("periodStart").GetString()!), DateOnly.Parse(current.GetProperty("periodEnd").GetString()!));
        var today = Fixture.Clock.Today();
        var started = current.GetProperty("changes")[0];
        Assert.Equal(Proration.Fee(current.GetProperty("feePence").GetInt64(), period, today), started.GetProperty("feePence").GetInt64());
        Assert.Equal(Proration.Credits(10, period, today), started.GetProperty("credits").GetInt32());
        Assert.Equal(Proration.Credits(10, period, today), await Fixture.WalletBalanceAsync(school.Id));

        // A second subscription for the same period is a conflict and changes nothing.
        await (await client.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription", new { tier = "gold" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(1, await Fixture.DbAsync(db => db.Subscriptions.CountAsync(s => s.SchoolId == school.Id)));
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task Bad_input_gets_a_problem_and_changes_nothing()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var client = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var other = await Fixture.DbAsync(db => db.Schools.Where(s => s.LocalAuthorityId != school.LocalAuthorityId).Select(s => s.Urn).FirstAsync());

        await (await client.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/upgrade", new { tier = "platinum" })).ProblemAsync(HttpStatusCode.BadRequest, "tier");
        await (await client.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/upgrade", new { })).ProblemAsync(HttpStatusCode.BadRequest, "tier");
        await (await client.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/upgrade", new { tier = "bronze" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await client.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription", new { tier = "gold", termYears = 9 })).ProblemAsync(HttpStatusCode.BadRequest, "termYears");
        await (await client.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/renewal/decline", new { })).ProblemAsync(HttpStatusCode.BadRequest, "reason");
        await (await client.PostJsonAsync($"/api/v1/schools/{school.Urn}/subscription/renewal/confirm", new { })).ProblemAsync(HttpStatusCode.Conflict);
        await (await client.GetAsync("/api/v1/schools/999998/subscription")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/schools/{other}/subscription")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostJsonAsync($"/api/v1/schools/{other}/subscription/upgrade", new { tier = "gold" })).ProblemAsync(HttpStatusCode.NotFound);

        var after = await Fixture.ActiveSubscriptionAsync(school.Id);
        Assert.Equal(Tier.Silver, after!.Tier);
        Assert.Single(after.Changes);
    }

    [Fact]
    public async Task A_purchase_gets_the_tiers_discount_and_the_packages_validity()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var client = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{school.Urn}/credits/purchases") { Content = JsonContent.Create(new { credits = 4 }) };
        request.Headers.Add("Idempotency-Key", "discount-1");

        var body = await (await client.SendAsync(request)).JsonAsync(HttpStatusCode.Created);

        Assert.Equal(45_00, body.GetProperty("unitPricePence").GetInt64()); // York's £50 less silver's 10%
        Assert.Equal(180_00, body.GetProperty("totalPence").GetInt64());
        var today = Fixture.Clock.Today();
        Assert.Equal(today.AddMonths(12), DateOnly.Parse(body.GetProperty("expiresOn").GetString()!));
        var grant = await Fixture.DbAsync(db => db.CreditGrants.OrderByDescending(g => g.GrantedAt).FirstAsync(g => g.SchoolId == school.Id && g.Source == CreditSource.Purchased));
        Assert.Equal(45_00, grant.CostBasisPencePerCredit);
        await Ledger.AssertInvariantsAsync(Fixture);
    }
}
