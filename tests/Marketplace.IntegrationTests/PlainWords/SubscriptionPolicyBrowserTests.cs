using System.Net;
using Marketplace.Application.Common;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Subscriptions;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Marketplace.IntegrationTests.PlainWords;

/// <summary>Issue 11, item 6: a commissioner sets the LA's subscription policy and a school's payer in the UI, not only through the API.</summary>
[Trait("Category", "DateSensitive")]
public class SubscriptionPolicyBrowserTests(MarketplaceFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_commissioner_changes_the_subscription_policy_through_a_form_with_errors_in_page_order()
    {
        await SignInAsync(DemoAccounts.YorkCommissioner);
        await Page.GotoAsync("/la/packages");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Change the subscription policy" }).ClickAsync();
        await AssertAccessibleAsync();

        await Page.GetByLabel("The academic year (September to August) for every school").CheckAsync();
        await Page.GetByLabel("Split between the school and a fund").CheckAsync();
        await Page.GetByLabel("Name of the fund").FillAsync("School improvement grant");
        await Page.GetByLabel("The school's share, for a split").FillAsync("a quarter");
        await Page.GetByLabel("Send renewal proposals").FillAsync("6 weeks");
        // York's demo limit is shown in pounds; a limit that is not an amount is refused with the rest, in page order.
        var limit = Page.GetByLabel("Credit purchases above this need the school's approver (optional)");
        await Assertions.Expect(limit).ToHaveValueAsync("500.00");
        await limit.FillAsync("lots");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();

        var errors = Page.Locator(".govuk-error-summary__list li");
        await Assertions.Expect(errors).ToHaveTextAsync(["Enter the school's share as a percentage between 0.01 and 99.99, for example 25",
            "Enter the renewal window as a whole number of days, 14 to 180",
            "Enter the approval limit in pounds, for example 500 or 1,250.00, up to £10,000,000.00, or leave it empty for no limit"]);
        await Assertions.Expect(Page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
        await AssertAccessibleAsync();

        await Page.GetByLabel("The school's share, for a split").FillAsync("25");
        await Page.GetByLabel("Send renewal proposals").FillAsync("200");
        await limit.FillAsync("£1,250");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        await Assertions.Expect(errors).ToHaveTextAsync(["The renewal window is 14 to 180 days"]);

        await Page.GetByLabel("Send renewal proposals").FillAsync("60");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();

        await Assertions.Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/la/packages$"));
        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("The subscription policy is saved");
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("Split between the school and a fund: School improvement grant (school pays 25%)");
        using var api = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        var policy = await (await api.GetAsync("/api/v1/las/816/subscription-policy")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("academicYear", "split", 2_500, 60, 125_000L), (policy.GetProperty("periodBasisOverride").GetString(), policy.GetProperty("concernPayer").GetString(),
            policy.GetProperty("concernSchoolShareBasisPoints").GetInt32(), policy.GetProperty("renewalWindowDays").GetInt32(),
            policy.GetProperty("creditPurchaseApprovalLimitPence").GetInt64()));
    }

    [Fact]
    public async Task A_commissioner_sets_who_pays_for_a_schools_subscription()
    {
        await SignInAsync(DemoAccounts.YorkCommissioner);
        await Page.GotoAsync("/la/subscriptions");
        var link = Page.GetByRole(AriaRole.Link, new() { Name = "Who pays for" }).First;
        var href = (await link.GetAttributeAsync("href"))!;
        var urn = int.Parse(href.Split('/')[3]);
        await link.ClickAsync();
        await AssertAccessibleAsync();

        await Page.GetByLabel("A fund (for example, the LA's school improvement grant)").CheckAsync();
        await Page.GetByLabel("Name of the fund").FillAsync("");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save who pays" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Name the fund that pays");
        await AssertAccessibleAsync();

        await Page.GetByLabel("Name of the fund").FillAsync("Schools causing concern fund");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save who pays" }).ClickAsync();

        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Who pays for the school's subscription is saved");
        var today = Fixture.Clock.Today();
        var saved = await Fixture.DbAsync(db => db.Subscriptions.Where(s => db.Schools.Any(x => x.Id == s.SchoolId && x.Urn == urn)
                && s.Status == SubscriptionStatus.Active && s.StartsOn <= today && s.PeriodEnd >= today)
            .Select(s => new { s.Payer, s.FundName }).SingleAsync());
        Assert.Equal((Payer.Fund, "Schools causing concern fund"), (saved.Payer, saved.FundName));
    }

    [Fact]
    public async Task The_payer_page_of_another_LAs_school_is_not_found()
    {
        var otherUrn = await Fixture.DbAsync(db => db.Schools.Where(s => s.LocalAuthority!.Code != 816).Select(s => s.Urn).FirstAsync());
        await SignInAsync(DemoAccounts.YorkCommissioner);

        var response = await Page.GotoAsync($"/la/schools/{otherUrn}/payer");

        Assert.Equal(404, response!.Status);
    }
}
