using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Marketplace.IntegrationTests.Browser;

public class ApiReferenceBrowserTests(MarketplaceFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Api_reference_page_loads_our_OpenAPI_document_without_leaving_the_site()
    {
        var external = new List<string>();
        Page.Request += (_, r) =>
        {
            if (!r.Url.StartsWith(Fixture.BaseAddress.ToString(), StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal))
                external.Add(r.Url);
        };
        var spec = Page.WaitForResponseAsync(r => r.Url.EndsWith("/openapi/v1.json", StringComparison.Ordinal) && r.Status == 200);

        await Page.GotoAsync("/api/reference/");
        await spec;

        // The heading comes from the OpenAPI document's title, so it proves the document was read.
        await Page.GetByRole(AriaRole.Heading, new() { Name = "Marketplace API" }).First.WaitForAsync();
        Assert.Empty(external);
    }
}
