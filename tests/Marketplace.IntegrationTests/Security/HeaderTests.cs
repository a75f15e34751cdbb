using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Marketplace.IntegrationTests.Security;

/// <summary>The headers every response carries, and the ones only HTTPS and Production add.</summary>
public partial class HeaderTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Pages_allow_only_our_own_scripts_and_styles_and_the_one_inline_snippet_by_hash()
    {
        using var client = Fixture.Client();
        var response = await client.GetAsync("/offers");
        var html = await response.Content.ReadAsStringAsync();
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();

        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        // Every inline script on the page is allowed by its hash, and there is no inline style at all.
        var inline = InlineScript().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(inline);
        foreach (var script in inline)
            Assert.Contains("'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script))) + "'", csp);
        Assert.DoesNotContain("style=\"", html);
        Assert.DoesNotContain("<style", html);

        var permissions = response.Headers.GetValues("Permissions-Policy").Single();
        Assert.Contains("camera=()", permissions);
        Assert.Contains("geolocation=()", permissions);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task API_answers_load_nothing()
    {
        using var client = Fixture.Client();
        var response = await client.GetAsync("/api/v1/offers");

        Assert.Equal("default-src 'none'; frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Over_plain_HTTP_in_Development_there_is_no_HSTS_and_cookies_are_not_marked_Secure()
    {
        using var client = Fixture.Client();
        var response = await client.GetAsync("/account/sign-in");

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.All(response.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task In_Production_over_HTTPS_there_is_HSTS_and_the_antiforgery_cookie_is_Secure()
    {
        await using var production = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("ConnectionStrings:Marketplace", Fixture.ConnectionString);
            b.UseSetting("Hangfire:Server", "false");
        });
        using var client = production.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://marketplace.york.gov.uk"),
            AllowAutoRedirect = false,
        });

        var response = await client.GetAsync("/account/sign-in");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single());
        var antiforgery = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", antiforgery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void No_page_or_partial_carries_an_inline_style_or_script_the_policy_would_block()
    {
        var pages = Path.Combine(FindRepositoryRoot(), "src", "Marketplace.Web", "Pages");
        foreach (var file in Directory.EnumerateFiles(pages, "*.cshtml", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.False(text.Contains("style=\"", StringComparison.Ordinal), $"{file} has an inline style attribute");
            Assert.False(text.Contains("<style", StringComparison.Ordinal), $"{file} has a <style> block");
            Assert.False(System.Text.RegularExpressions.Regex.IsMatch(text, "\\son[a-z]+=\"", RegexOptions.IgnoreCase), $"{file} has an inline event handler");
        }
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Marketplace.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Marketplace.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();
}
