using Marketplace.Application.DemoWorld;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Marketplace.IntegrationTests.Browser;

public class OfferApprovalBrowserTests(MarketplaceFixture fixture) : BrowserTest(fixture)
{
    private const string Title = "Reasoning and problem solving in key stage 2 mathematics";

    [Fact]
    public async Task A_provider_creates_and_submits_an_offer_that_the_LA_approves_and_a_buyer_then_finds()
    {
        // The provider drafts and submits.
        await SignInAsync(DemoAccounts.YorkProviderTeam);
        await Page.GotoAsync("/provider/offers");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create an offer" }).ClickAsync();
        await Page.GetByLabel("Title").FillAsync(Title);
        await Page.GetByLabel("Description").FillAsync("A consultant models reasoning lessons and coaches year 5 and 6 teachers through a half-term sequence.");
        await Page.GetByLabel("Type of support").SelectOptionAsync(new SelectOptionValue { Label = "Subject consultancy" });
        await Page.GetByLabel("Subject").SelectOptionAsync(new SelectOptionValue { Label = "Mathematics" });
        await Page.GetByLabel("Primary", new() { Exact = true }).CheckAsync();
        await Page.GetByLabel("Sold per").SelectOptionAsync(new SelectOptionValue { Label = "Day" });
        await Page.GetByLabel("Price in pounds (pay as you go)").FillAsync("475.00");
        await Page.GetByLabel("Price in credits").FillAsync("10");
        await Page.GetByLabel("Silver").FillAsync("9");
        await Page.GetByLabel("Gold").FillAsync("8");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Draft offer created");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Submit for approval" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("submitted");
        await Assertions.Expect(Page.Locator("main .govuk-tag").First).ToHaveTextAsync("Awaiting approval");

        // Not in the catalogue yet.
        await NewSessionAsync();
        await Page.GotoAsync($"/offers?q={Uri.EscapeDataString(Title)}");
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = Title })).ToHaveCountAsync(0);

        // York's commissioner approves it.
        await SignInAsync(DemoAccounts.YorkCommissioner);
        await Page.GotoAsync("/la/approvals");
        await Page.GetByRole(AriaRole.Link, new() { Name = Title }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("approved");
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = Title })).ToHaveCountAsync(0);

        // A buyer finds it.
        await NewSessionAsync();
        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.GotoAsync("/offers?q=reasoning&subject=mathematics&phase=primary");
        await Page.GetByRole(AriaRole.Link, new() { Name = Title }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Title);
        await Assertions.Expect(Page.Locator(".govuk-summary-list")).ToContainTextAsync("£475.00");
    }

    [Fact]
    public async Task A_commissioner_sends_an_offer_back_with_a_reason_the_provider_then_sees()
    {
        await SignInAsync(DemoAccounts.YorkCommissioner);
        await Page.GotoAsync("/la/approvals");
        var first = Page.Locator("table a.govuk-link").First;
        var title = await first.InnerTextAsync();
        await first.ClickAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Enter the reason");
        await AssertAccessibleAsync();
        await Page.GetByLabel("Reason for sending it back").FillAsync("Add measurable service standards.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();

        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("sent back");
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Someone_not_signed_in_is_sent_to_sign_in_and_back_and_the_wrong_role_is_told_no()
    {
        await Page.GotoAsync("/provider/offers");
        await Assertions.Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/sign-in\\?ReturnUrl=%2Fprovider%2Foffers", System.Text.RegularExpressions.RegexOptions.IgnoreCase));

        await Page.GetByLabel("Email address").FillAsync(DemoAccounts.YorkProviderTeam);
        await Page.GetByLabel("Password").FillAsync(DemoAccounts.Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your offers");

        await Page.GotoAsync("/la/approvals");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You do not have permission to see this page");
    }

    [Fact]
    public async Task A_provider_sees_field_errors_and_nothing_is_saved()
    {
        await SignInAsync(DemoAccounts.YorkProviderTeam);
        await Page.GotoAsync("/provider/offers");
        var before = await Page.Locator("tbody tr").CountAsync();
        await Page.GotoAsync("/provider/offers/new");

        await Page.GetByLabel("Price in pounds (pay as you go)").FillAsync("four hundred");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

        var summary = Page.Locator(".govuk-error-summary");
        await Assertions.Expect(summary).ToContainTextAsync("Enter the price in pounds");
        await Assertions.Expect(summary).ToContainTextAsync("Enter a title");
        await summary.GetByRole(AriaRole.Link, new() { Name = "Enter a title" }).ClickAsync();
        await Assertions.Expect(Page.GetByLabel("Title")).ToBeFocusedAsync();
        await AssertAccessibleAsync();
        await Page.GotoAsync("/provider/offers");
        Assert.Equal(before, await Page.Locator("tbody tr").CountAsync());
    }
}
