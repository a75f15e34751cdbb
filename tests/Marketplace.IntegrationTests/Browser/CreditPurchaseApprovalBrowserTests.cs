using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Common;
using Marketplace.Domain.Credits;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Marketplace.IntegrationTests.Browser;

/// <summary>
/// A requester (who may not commit the school's spend) asks for more than York's £500 limit: the check page sends it
/// for approval; the approver approves it from the credits page after checking the price.
/// </summary>
public class CreditPurchaseApprovalBrowserTests(MarketplaceFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_requester_sends_a_purchase_for_approval_and_the_approver_approves_it_from_the_credits_page()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var limit = await Fixture.DbAsync(db => db.Schools.Where(s => s.Id == school.Id).Select(s => s.LocalAuthority!.CreditPurchaseApprovalLimitPence).SingleAsync());
        Assert.NotNull(limit);
        var before = await Fixture.WalletBalanceAsync(school.Id);
        await SignInAsync(DemoAccounts.YorkRequester);
        await Page.GotoAsync("/school/credits/buy");
        await Page.GetByLabel("How many credits do you want to buy?").FillAsync("40");
        await Page.GetByLabel("Purchase-order number").FillAsync("PO-APPROVE-1");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await Assertions.Expect(Page.Locator("#approval-needed")).ToContainTextAsync($"Your school's approver must confirm purchases over {Money.Format(limit!.Value)}");
        await AssertAccessibleAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send for approval" }).ClickAsync();

        await Assertions.Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/school/credits$"));
        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("has been sent to your school's approver");
        await Assertions.Expect(Page.Locator("#purchase-requests")).ToContainTextAsync("Waiting for your school's approver");
        await AssertAccessibleAsync();
        Assert.Equal(before, await Fixture.WalletBalanceAsync(school.Id)); // nothing bought yet

        await NewSessionAsync();
        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.GotoAsync("/");
        await Assertions.Expect(Page.Locator("#work-purchase-requests")).ToContainTextAsync("1 credit purchase waiting for you");
        await Page.GotoAsync("/school/credits");
        await Page.Locator("#purchase-requests").GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Approve or decline") }).ClickAsync();

        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Check the purchase request before you approve it");
        await Assertions.Expect(Page.Locator("#summary-credits")).ToHaveTextAsync("40");
        var request = await Fixture.DbAsync(db => db.CreditPurchaseRequests.AsNoTracking().SingleAsync(r => r.SchoolId == school.Id));
        await Assertions.Expect(Page.Locator("#summary-total")).ToContainTextAsync(Money.Format(request.QuotedTotalPence));
        await AssertAccessibleAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Approve purchase" }).ClickAsync();

        await Assertions.Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/school/credits$"));
        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync($"40 credits for {Money.Format(request.QuotedTotalPence)} on account");
        Assert.Equal(before + 40, await Fixture.WalletBalanceAsync(school.Id));
        Assert.Equal(PurchaseRequestStatus.Approved,
            await Fixture.DbAsync(db => db.CreditPurchaseRequests.Where(r => r.Id == request.Id).Select(r => r.Status).SingleAsync()));
    }
}
