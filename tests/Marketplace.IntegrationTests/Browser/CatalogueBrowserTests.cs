using System.Text.RegularExpressions;
using Marketplace.Application.DemoWorld;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Marketplace.IntegrationTests.Browser;

public class CatalogueBrowserTests(MarketplaceFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_school_buyer_searches_with_filters_and_opens_an_offer()
    {
        await SignInAsync(DemoAccounts.YorkBuyer);
        await Page.GotoAsync("/offers");

        await Page.GetByLabel("Subject").SelectOptionAsync(new SelectOptionValue { Label = "Mathematics" });
        await Page.GetByLabel("Phase").SelectOptionAsync(new SelectOptionValue { Label = "Primary" });
        await Page.GetByLabel("Local authority").SelectOptionAsync(new SelectOptionValue { Label = "City of York" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();

        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("subject=mathematics.*phase=primary.*la=816"));
        var count = await Page.Locator("#result-count").InnerTextAsync();
        Assert.Matches(@"^\d+ services? found$", count);
        var results = Page.Locator(".app-result");
        Assert.True(await results.CountAsync() > 0, "expected York primary mathematics offers");
        foreach (var meta in await Page.Locator(".app-result__meta").AllInnerTextsAsync())
        {
            Assert.Contains("City of York", meta);
            Assert.Contains("Primary", meta);
        }

        var first = results.First.GetByRole(AriaRole.Link);
        var title = await first.InnerTextAsync();
        await first.ClickAsync();

        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(title);
        await Assertions.Expect(Page.GetByText("Prices by subscription tier")).ToBeVisibleAsync();
        await AssertAccessibleAsync();
    }

    [Fact]
    public async Task A_filter_value_that_does_not_exist_is_explained_on_the_page()
    {
        await Page.GotoAsync("/offers?subject=astrology");

        var summary = Page.Locator(".govuk-error-summary");
        await Assertions.Expect(summary).ToBeVisibleAsync();
        await Assertions.Expect(summary).ToContainTextAsync("Choose a subject");
        Assert.StartsWith("Error:", await Page.TitleAsync());
        await AssertAccessibleAsync();
    }

    [Fact]
    public async Task Paging_moves_through_the_results()
    {
        await Page.GotoAsync("/offers?sort=title");
        var firstPage = await Page.Locator(".app-result h3").AllInnerTextsAsync();

        await Page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();

        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("page=2"));
        var secondPage = await Page.Locator(".app-result h3").AllInnerTextsAsync();
        Assert.Equal(20, firstPage.Count);
        Assert.NotEmpty(secondPage);
        Assert.Empty(firstPage.Intersect(secondPage));
    }
}
