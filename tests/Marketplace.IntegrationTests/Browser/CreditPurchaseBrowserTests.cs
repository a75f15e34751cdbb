using System.Net;
using System.Net.Http.Json;
using Marketplace.Application.Common;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Common;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Marketplace.IntegrationTests.Browser;

/// <summary>A school buyer buys credits in the UI: quantity and PO, a priced check page, then one purchase.</summary>
[Trait("Category", "DateSensitive")]
public class CreditPurchaseBrowserTests(MarketplaceFixture fixture) : BrowserTest(fixture)
{
    /// <summary>The price per credit the school pays today: its LA's price less its current package's discount (the domain rule).</summary>
    private async Task<(long Unit, int DiscountBasisPoints)> ExpectedUnitPriceAsync(Guid schoolId)
    {
        var today = Fixture.Clock.Today();
        var (price, discount) = await Fixture.DbAsync(async db =>
        {
            var school = await db.Schools.AsNoTracking().Where(s => s.Id == schoolId)
                .Select(s => new { s.LocalAuthority!.CreditPricePence }).SingleAsync();
            var basisPoints = await db.Subscriptions.Where(x => x.SchoolId == schoolId && x.Status == Domain.Subscriptions.SubscriptionStatus.Active
                    && x.StartsOn <= today && x.PeriodEnd >= today)
                .Join(db.TierPackages, x => x.PackageId, p => p.Id, (x, p) => (int?)p.DiscountBasisPoints).FirstOrDefaultAsync();
            return (school.CreditPricePence, basisPoints ?? 0);
        });
        return (TierDiscount.Apply(price, discount), discount);
    }

    private Task<int> PurchaseCountAsync(Guid schoolId) => Fixture.DbAsync(db => db.CreditPurchases.CountAsync(p => p.SchoolId == schoolId));

    private async Task FillAndContinueAsync(string credits, string? po = null)
    {
        await Page.GetByLabel("How many credits do you want to buy?").FillAsync(credits);
        if (po is not null) await Page.GetByLabel("Purchase-order number").FillAsync(po);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
    }

    [Fact]
    public async Task A_buyer_checks_the_price_and_total_then_buys_once_and_sees_the_new_balance()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var (unit, discount) = await ExpectedUnitPriceAsync(school.Id);
        Assert.True(discount > 0, "the demo buyer's school should have a tier discount, so the test shows it is applied");
        var before = await Fixture.WalletBalanceAsync(school.Id);
        var purchases = await PurchaseCountAsync(school.Id);
        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.GotoAsync("/school/credits");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Buy credits" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Buy credits");
        await AssertAccessibleAsync();
        await FillAndContinueAsync("12", "PO-2027-001");

        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Check your purchase before you confirm");
        await Assertions.Expect(Page.Locator("#summary-credits")).ToHaveTextAsync("12");
        await Assertions.Expect(Page.Locator("#summary-unit-price")).ToContainTextAsync(Money.Format(unit));
        await Assertions.Expect(Page.Locator("#summary-total")).ToHaveTextAsync(Money.Format(12 * unit));
        await Assertions.Expect(Page.Locator("#summary-po")).ToHaveTextAsync("PO-2027-001");
        await Assertions.Expect(Page.Locator("#purchase-summary")).ToContainTextAsync("On account");
        await AssertAccessibleAsync();
        Assert.Equal(purchases, await PurchaseCountAsync(school.Id)); // nothing bought by looking

        // Change the quantity: the form comes back with the answers, and the check page reprices.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Change number of credits" }).ClickAsync();
        await Assertions.Expect(Page.GetByLabel("How many credits do you want to buy?")).ToHaveValueAsync("12");
        await Assertions.Expect(Page.GetByLabel("Purchase-order number")).ToHaveValueAsync("PO-2027-001");
        await FillAndContinueAsync("1,250");
        await Assertions.Expect(Page.Locator("#summary-total")).ToHaveTextAsync(Money.Format(1_250 * unit));

        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm purchase" }).ClickAsync();

        await Assertions.Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/school/credits$"));
        var banner = Page.Locator(".govuk-notification-banner");
        await Assertions.Expect(banner).ToContainTextAsync($"You bought 1,250 credits for {Money.Format(1_250 * unit)} on account");
        await Assertions.Expect(banner).ToContainTextAsync($"Your balance is now {before + 1_250:N0} credits");
        Assert.Equal(before + 1_250, await Fixture.WalletBalanceAsync(school.Id));
        var bought = await Fixture.DbAsync(db => db.CreditPurchases.AsNoTracking().Where(p => p.SchoolId == school.Id).ToListAsync());
        Assert.Equal(purchases + 1, bought.Count);
        var latest = bought.OrderByDescending(p => p.CreatedAt).First();
        Assert.Equal((1_250, unit, 1_250 * unit, "PO-2027-001"), (latest.Credits, latest.UnitPricePence, latest.TotalPence, latest.PurchaseOrderNumber));
        await AssertAccessibleAsync();
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Theory]
    [InlineData(Domain.Catalogue.Tier.Bronze)]
    [InlineData(Domain.Catalogue.Tier.Gold)]
    [InlineData(null)] // no package: the LA's full price
    public async Task The_check_page_quotes_exactly_what_the_purchase_charges_at_every_tier(Domain.Catalogue.Tier? tier)
    {
        var school = await Fixture.YorkSchoolAsync(tier);
        var (unit, discount) = await ExpectedUnitPriceAsync(school.Id);
        var email = await TestUsers.CreateAsync(Fixture, Marketplace.Application.Identity.Roles.SchoolBuyer, urn: school.Urn, canCommitSpend: true);
        await SignInAsync(email, TestUsers.Password);

        await Page.GotoAsync("/school/credits/buy/check?credits=3");
        await Assertions.Expect(Page.Locator("#summary-unit-price")).ToContainTextAsync(Money.Format(unit));
        await Assertions.Expect(Page.Locator("#summary-total")).ToHaveTextAsync(Money.Format(3 * unit));
        if (discount == 0) await Assertions.Expect(Page.Locator("#summary-unit-price")).Not.ToContainTextAsync("discount");
        else await Assertions.Expect(Page.Locator("#summary-unit-price")).ToContainTextAsync("discount");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm purchase" }).ClickAsync();

        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync($"for {Money.Format(3 * unit)} on account");
        var bought = await Fixture.DbAsync(db => db.CreditPurchases.AsNoTracking().SingleAsync(p => p.SchoolId == school.Id && p.CreatedByUserId != null
            && db.Users.Any(u => u.Id == p.CreatedByUserId && u.Email == email)));
        Assert.Equal((3, unit, 3 * unit), (bought.Credits, bought.UnitPricePence, bought.TotalPence));
    }

    [Fact]
    public async Task Submitting_the_confirm_form_twice_buys_once()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var before = await Fixture.WalletBalanceAsync(school.Id);
        var purchases = await PurchaseCountAsync(school.Id);
        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.GotoAsync("/school/credits/buy");
        await FillAndContinueAsync("7");
        await Assertions.Expect(Page.Locator("#summary-credits")).ToHaveTextAsync("7");

        // The same form, as the browser would send it on a double click or a resubmitted page: its fields and token.
        var form = Page.Locator("form[action='/school/credits/buy/check']");
        var fields = new Dictionary<string, string>();
        foreach (var input in await form.Locator("input[type=hidden]").AllAsync())
            fields[(await input.GetAttributeAsync("name"))!] = await input.GetAttributeAsync("value") ?? "";
        Assert.False(string.IsNullOrEmpty(fields["IdempotencyKey"]));
        var data = Page.Context.APIRequest.CreateFormData();
        foreach (var (name, value) in fields) data.Set(name, value);
        var first = await Page.Context.APIRequest.PostAsync("/school/credits/buy/check", new() { Form = data, MaxRedirects = 0 });
        var second = await Page.Context.APIRequest.PostAsync("/school/credits/buy/check", new() { Form = data, MaxRedirects = 0 });
        Assert.Equal((302, 302), (first.Status, second.Status));
        Assert.Equal(("/school/credits", "/school/credits"), (first.Headers["location"], second.Headers["location"]));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm purchase" }).ClickAsync();

        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync($"Your balance is now {before + 7:N0} credits");
        Assert.Equal(before + 7, await Fixture.WalletBalanceAsync(school.Id));
        Assert.Equal(purchases + 1, await PurchaseCountAsync(school.Id));
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Theory]
    [InlineData("0", "Buy between 1 and 10,000 credits at a time")]
    [InlineData("-1", "Buy between 1 and 10,000 credits at a time")]
    [InlineData("10001", "Buy between 1 and 10,000 credits at a time")]
    [InlineData("99999999999", "Buy between 1 and 10,000 credits at a time")]
    [InlineData("1.5", "Enter the number of credits as a whole number, like 10")]
    [InlineData("ten", "Enter the number of credits as a whole number, like 10")]
    [InlineData("", "Enter how many credits to buy")]
    public async Task A_quantity_that_is_not_a_whole_number_of_credits_in_range_is_refused_on_the_form(string credits, string message)
    {
        var school = await Fixture.BuyerSchoolAsync();
        var purchases = await PurchaseCountAsync(school.Id);
        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.GotoAsync("/school/credits/buy");

        await FillAndContinueAsync(credits);

        var summary = Page.Locator(".govuk-error-summary");
        await Assertions.Expect(summary).ToContainTextAsync(message);
        await Assertions.Expect(summary.GetByRole(AriaRole.Link, new() { Name = message })).ToHaveAttributeAsync("href", "#Credits");
        await Assertions.Expect(Page.Locator("#Credits-error")).ToContainTextAsync(message);
        await Assertions.Expect(Page.Locator("main")).Not.ToContainTextAsync("is not valid");
        await Assertions.Expect(Page.GetByLabel("How many credits do you want to buy?")).ToHaveValueAsync(credits);
        await Assertions.Expect(Page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
        await AssertAccessibleAsync();
        Assert.Equal(purchases, await PurchaseCountAsync(school.Id));
    }

    [Fact]
    public async Task A_tampered_check_page_address_goes_back_to_the_form_and_buys_nothing()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var purchases = await PurchaseCountAsync(school.Id);
        await SignInAsync(DemoAccounts.YorkBuyer);

        await Page.GotoAsync("/school/credits/buy/check?credits=-5");

        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Buy credits");
        Assert.Equal(purchases, await PurchaseCountAsync(school.Id));
    }

    [Fact]
    public async Task When_the_school_quotes_a_purchase_order_number_on_everything_a_purchase_needs_one_in_the_UI_and_the_API()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        (await buyer.PutAsJsonAsync($"/api/v1/schools/{school.Urn}/booking-settings", new { requiresPurchaseOrder = true })).EnsureSuccessStatusCode();
        var purchases = await PurchaseCountAsync(school.Id);
        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.GotoAsync("/school/credits/buy");
        await Assertions.Expect(Page.Locator("label[for=PurchaseOrderNumber]")).Not.ToContainTextAsync("optional");

        await FillAndContinueAsync("5");

        await Assertions.Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Enter your school's purchase-order number");
        await Assertions.Expect(Page.Locator("#PurchaseOrderNumber-error")).ToBeVisibleAsync();
        await AssertAccessibleAsync();
        var api = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{school.Urn}/credits/purchases") { Content = JsonContent.Create(new { credits = 5 }) };
        api.Headers.Add("Idempotency-Key", "no-po");
        await (await buyer.SendAsync(api)).ProblemAsync(HttpStatusCode.BadRequest, "purchaseOrderNumber");
        Assert.Equal(purchases, await PurchaseCountAsync(school.Id));

        await FillAndContinueAsync("5", "PO-77");
        await Assertions.Expect(Page.Locator("#summary-po")).ToHaveTextAsync("PO-77");
    }

    [Fact]
    public async Task Someone_who_is_not_a_school_buyer_cannot_reach_the_purchase_pages()
    {
        await SignInAsync(DemoAccounts.YorkCommissioner);

        var form = await Page.GotoAsync("/school/credits/buy");
        var check = await Page.GotoAsync("/school/credits/buy/check?credits=5");

        Assert.Equal((403, 403), (form!.Status, check!.Status));
    }

    [Fact]
    public async Task A_buyer_can_buy_credits_with_the_keyboard_alone()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var before = await Fixture.WalletBalanceAsync(school.Id);
        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.GotoAsync("/school/credits");

        await TabToAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Buy credits" }));
        await Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Buy credits");
        await TabToAsync(Page.GetByLabel("How many credits do you want to buy?"));
        await Page.Keyboard.TypeAsync("3");
        await Page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(Page.GetByLabel("Purchase-order number")).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync("PO-KEYS");
        await Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Page.Locator("#summary-credits")).ToHaveTextAsync("3");
        await TabToAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Confirm purchase" }));
        await Page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync($"Your balance is now {before + 3:N0} credits");
        Assert.Equal(before + 3, await Fixture.WalletBalanceAsync(school.Id));
    }

    [Fact]
    public async Task The_purchase_pages_reflow_on_a_320_pixel_screen_without_sideways_scrolling()
    {
        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.SetViewportSizeAsync(320, 800);

        foreach (var url in new[] { "/school/credits/buy", "/school/credits/buy/check?credits=9999&purchaseOrderNumber=PO-2027-000123-LONG" })
        {
            await Page.GotoAsync(url);
            var widths = await Page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            var (scroll, client) = (widths[0], widths[1]);
            Assert.True(scroll <= client, $"{url} is {scroll} px wide on a {client} px screen");
        }
    }

    /// <summary>Presses Tab until the element has focus, as a keyboard user moves through the page (fails if it never does).</summary>
    private async Task TabToAsync(ILocator target)
    {
        for (var i = 0; i < 60; i++)
        {
            await Page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement")) return;
        }
        Assert.Fail("Tab never reached the element");
    }
}
