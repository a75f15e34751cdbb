using Marketplace.Application.Common;
using System.Text;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Concern;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Marketplace.IntegrationTests.Browser;

[Trait("Category", "DateSensitive")]
public class SubscriptionBrowserTests(MarketplaceFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_school_buyer_upgrades_and_reads_its_statement()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var before = (await Fixture.ActiveSubscriptionAsync(school.Id))!;
        // York: silver 25 credits a year, gold 45; on a year's last day the difference rounds to nothing.
        var difference = Expected.ProratedCredits(45 - 25, before.PeriodStart, before.PeriodEnd, Fixture.Clock.Today());
        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.GotoAsync("/school/subscription");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Silver for" })).ToBeVisibleAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Upgrade to gold" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm upgrade" }).ClickAsync();

        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("now Gold");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Gold for" })).ToBeVisibleAsync();
        await AssertAccessibleAsync();

        await Page.GetByRole(AriaRole.Link, new() { Name = "Credits", Exact = true }).ClickAsync();
        var statement = Page.Locator("#statement");
        await Assertions.Expect(statement).ToContainTextAsync("Opening balance");
        if (difference > 0) await Assertions.Expect(statement).ToContainTextAsync("upgrade, prorated");
        else await Assertions.Expect(statement).Not.ToContainTextAsync("upgrade, prorated");
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Download this statement as CSV" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("p.govuk-body-l")).ToContainTextAsync($"{await Fixture.WalletBalanceAsync(school.Id)} credits");
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task A_school_without_a_subscription_subscribes_from_its_page()
    {
        var school = await Fixture.YorkSchoolAsync(tier: null);
        var email = await TestUsers.CreateAsync(Fixture, Marketplace.Application.Identity.Roles.SchoolBuyer, urn: school.Urn, canCommitSpend: true);
        await SignInAsync(email, TestUsers.Password);
        await Page.GotoAsync("/school/subscription");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Choose bronze, silver or gold");
        await AssertAccessibleAsync();
        await Page.GetByLabel("Silver").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();

        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("now subscribes at Silver");
        Assert.Equal(Tier.Silver, (await Fixture.ActiveSubscriptionAsync(school.Id))!.Tier);
    }

    [Fact]
    public async Task A_buyer_who_may_not_commit_spend_sees_no_buttons_to_change_the_subscription()
    {
        await SignInAsync(DemoAccounts.YorkRequester);
        await Page.GotoAsync("/school/subscription");

        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your subscription");
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Upgrade to gold" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_commissioner_uploads_outcomes_sees_bad_rows_and_the_good_school_is_enrolled_at_gold_with_its_audit_trail()
    {
        var good = await Fixture.YorkSchoolAsync(Tier.Silver);
        var day = Marketplace.Application.Common.UkClock.Today(Fixture.Clock).AddDays(-3).ToString("yyyy-MM-dd");
        var csv = $"URN,Inspection date,Grade\n{good.Urn},{day},3\n999999,{day},3\n{good.Urn},{day},9\n";
        await SignInAsync(DemoAccounts.YorkCommissioner);
        await Page.GotoAsync("/la/concern");

        await Page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload { Name = "outcomes.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();

        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("1 of 3 rows imported");
        var rejected = Page.Locator("#rejected-rows");
        await Assertions.Expect(rejected).ToContainTextAsync("URN 999999 is not a school in City of York");
        await Assertions.Expect(rejected).ToContainTextAsync("'9' is not a grade");
        await AssertAccessibleAsync();

        await Page.GetByRole(AriaRole.Link, new() { Name = good.Name }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(good.Name);
        var audit = Page.Locator("table").Last;
        await Assertions.Expect(audit).ToContainTextAsync("Upgraded from Silver to gold");
        await Assertions.Expect(audit).ToContainTextAsync("York Commissioning Officer");

        // Override with a reason, recorded in the trail.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Override gold enrolment" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Give a reason for the override");
        await AssertAccessibleAsync();
        await Page.GetByLabel("Reason").FillAsync("Academy conversion next month; the trust leads improvement");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Override gold enrolment" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Override recorded");
        await Assertions.Expect(Page.Locator("table").Last).ToContainTextAsync("Academy conversion next month");
        Assert.Equal(EnrolmentStatus.Overridden, (await Fixture.DbAsync(db => db.ConcernEnrolments.SingleAsync(e => e.SchoolId == good.Id))).Status);
    }

    [Fact]
    public async Task A_commissioner_flags_a_school_at_risk_and_clears_the_flag_from_its_concern_page()
    {
        var school = await Fixture.YorkSchoolAsync(Tier.Silver);
        await SignInAsync(DemoAccounts.YorkCommissioner);
        await Page.GotoAsync($"/la/concern/{school.Urn}");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Flag at risk" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Choose at least one risk criterion");
        await Page.GetByLabel("Attainment below floor standards").CheckAsync();
        await Page.GetByLabel("Leadership or governance concerns").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Flag at risk" }).ClickAsync();

        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Flagged at risk");
        var audit = Page.Locator("table").Last;
        await Assertions.Expect(audit).ToContainTextAsync("Flagged at risk: attainment below floor standards, leadership or governance concerns");
        await Assertions.Expect(audit).ToContainTextAsync("Upgraded from Silver to gold");
        Assert.Equal(Tier.Gold, (await Fixture.ActiveSubscriptionAsync(school.Id))!.Tier);

        await Page.GetByRole(AriaRole.Button, new() { Name = "Clear at-risk flag" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Say why the school is no longer at risk");
        await Page.GetByLabel("Reason").FillAsync("Floor standards met in the autumn assessment");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Clear at-risk flag" }).ClickAsync();

        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("At-risk flag cleared");
        await Assertions.Expect(Page.Locator("table").Last).ToContainTextAsync("then the subscription renews at Silver");
        Assert.Equal(EnrolmentStatus.Exiting, (await Fixture.DbAsync(db => db.ConcernEnrolments.SingleAsync(e => e.SchoolId == school.Id))).Status);
        await AssertAccessibleAsync();
    }

    [Fact]
    public async Task A_commissioner_changes_next_years_package()
    {
        await SignInAsync(DemoAccounts.YorkCommissioner);
        await Page.GotoAsync("/la/packages");
        var next = Marketplace.Domain.Subscriptions.Period.Containing(Marketplace.Domain.Subscriptions.PeriodBasis.FinancialYear,
            Marketplace.Application.Common.UkClock.Today(Fixture.Clock)).Start.Year + 1;

        await Page.GetByLabel("Tier").SelectOptionAsync("Silver");
        await Page.GetByLabel("Annual fee").FillAsync("lots");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save package" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Enter the annual fee in pounds");
        await AssertAccessibleAsync();

        await Page.GetByLabel("Annual fee").FillAsync("1,650.00");
        await Page.GetByLabel("Rate per pupil on roll").FillAsync("6.75");
        await Page.GetByLabel("Credits included each year").FillAsync("28");
        await Page.GetByLabel("Discount on extra credits and services").FillAsync("10");
        await Page.GetByLabel("Adviser sessions the school shapes itself").FillAsync("3");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save package" }).ClickAsync();

        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("package for");
        var saved = await Fixture.DbAsync(db => db.TierPackages.SingleAsync(p => p.Year == next && p.Tier == Tier.Silver
            && db.LocalAuthorities.Any(l => l.Id == p.LocalAuthorityId && l.Code == DemoAccounts.YorkCode)));
        Assert.Equal((1_650_00L, 6_75L, 28, 1_000), (saved.AnnualFeePence, saved.PerPupilPence, saved.CreditsIncluded, saved.DiscountBasisPoints));
    }

    [Fact]
    public async Task The_commissioner_sees_buy_back_and_tier_mix()
    {
        await SignInAsync(DemoAccounts.YorkCommissioner);
        await Page.GotoAsync("/la/subscriptions");

        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("95.6%");
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("65 of 68 schools subscribe");
        await Assertions.Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Tier mix" })).ToContainTextAsync("Gold");
    }
}
