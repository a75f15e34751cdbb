using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Marketplace.Application.DemoWorld;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Marketplace.IntegrationTests.Api;

/// <summary>
/// The OpenAPI document councils generate clients from: it passes Redocly's recommended rules, it lists
/// exactly the routes the app answers, its security matches who the app lets in, and it is not served in
/// Production unless configured on.
/// </summary>
public class OpenApiDocumentTests(MarketplaceFixture fixture, ITestOutputHelper output) : IntegrationTest(fixture)
{
    private const string EnabledSetting = "ApiReference:Enabled";
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    [Fact]
    public async Task The_served_document_passes_Redocly_recommended_rules_with_no_errors()
    {
        using var anonymous = Fixture.Client();
        var document = await (await anonymous.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        var file = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, document);
        try
        {
            var report = await RedoclyLintAsync(file);
            var problems = report.GetProperty("problems").EnumerateArray().ToList();
            foreach (var p in problems) output.WriteLine(Describe(p));
            var errors = problems.Where(p => p.GetProperty("severity").GetString() == "error").Select(Describe).ToList();
            Assert.True(errors.Count == 0, $"Redocly found {errors.Count} error(s) in /openapi/v1.json:\n" + string.Join('\n', errors));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Every_operation_in_the_document_is_routed()
    {
        // Signed in as an admin, so an endpoint that exists gets as far as its handler; a documented route
        // that is not there answers routing's 405, or a 404 with no detail (as a missing route does), where
        // a handler's "not found" always says what was not found.
        var doc = await DocumentAsync();
        using var admin = await Fixture.ClientFor(DemoAccounts.Admin);
        var missing = new List<string>();
        foreach (var (method, path, operation) in Operations(doc))
        {
            using var response = await admin.SendAsync(Request(doc, method, path, operation));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.MethodNotAllowed || (response.StatusCode == HttpStatusCode.NotFound && !HasDetail(body)))
                missing.Add($"{method.ToUpperInvariant()} {path}: {(int)response.StatusCode} {body}");
        }
        Assert.True(missing.Count == 0, "The document lists operations the app does not answer:\n" + string.Join('\n', missing));
    }

    [Fact]
    public async Task Every_API_route_is_in_the_document()
    {
        var doc = await DocumentAsync();
        var documented = Operations(doc).Select(o => $"{o.Method.ToUpperInvariant()} {o.Path}").ToHashSet();
        var routes = Fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(m => $"{m} {WithoutConstraints(e.RoutePattern.RawText!)}"))
            .ToHashSet();

        Assert.NotEmpty(routes);
        Assert.Empty(routes.Except(documented));
    }

    [Fact]
    public async Task Operations_that_need_a_bearer_token_say_so_and_the_others_do_not()
    {
        var doc = await DocumentAsync();
        Assert.True(doc.GetProperty("components").TryGetProperty("securitySchemes", out var schemes) && schemes.TryGetProperty("bearer", out var bearer)
            && bearer.GetProperty("type").GetString() == "http" && bearer.GetProperty("scheme").GetString() == "bearer",
            "The document declares no HTTP bearer security scheme named bearer");
        using var anonymous = Fixture.Client();
        var wrong = new List<string>();
        foreach (var (method, path, operation) in Operations(doc))
        {
            var security = operation.TryGetProperty("security", out var declared) ? declared.EnumerateArray().ToList() : [];
            var bearerOnly = security.Count > 0 && security.All(r => r.TryGetProperty("bearer", out _));
            Assert.All(security, r => Assert.True(r.EnumerateObject().All(s => s.Name == "bearer"), $"{method} {path} names an undeclared scheme"));
            using var response = await anonymous.SendAsync(Request(doc, method, path, operation));
            var refused = response.StatusCode == HttpStatusCode.Unauthorized;
            var documents401 = operation.GetProperty("responses").TryGetProperty("401", out _);
            if (bearerOnly && !refused)
                wrong.Add($"{method.ToUpperInvariant()} {path} requires a bearer token in the document but answered {(int)response.StatusCode} to an anonymous caller");
            if (!bearerOnly && refused && !documents401)
                wrong.Add($"{method.ToUpperInvariant()} {path} is open to anonymous callers in the document but refused one with 401");
            if (bearerOnly && !documents401)
                wrong.Add($"{method.ToUpperInvariant()} {path} requires a bearer token but does not document its 401");
        }
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public async Task Every_operation_documents_its_problems_as_problem_details()
    {
        var doc = await DocumentAsync();
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.TryGetProperty("ProblemDetails", out _));
        Assert.True(schemas.GetProperty("HttpValidationProblemDetails").GetProperty("properties").TryGetProperty("errors", out _));
        var wrong = new List<string>();
        foreach (var (method, path, operation) in Operations(doc))
        foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('4')))
            if (!response.Value.TryGetProperty("content", out var content) || !content.TryGetProperty("application/problem+json", out _))
                wrong.Add($"{method.ToUpperInvariant()} {path} documents {response.Name} without an application/problem+json body");
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
        var ids = Operations(doc).Select(o => o.Operation.TryGetProperty("operationId", out var id) ? id.GetString() : null).ToList();
        Assert.DoesNotContain(null, ids);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task In_Production_the_document_and_the_reference_page_are_off_unless_configured_on()
    {
        await using (var production = Production(enabled: null))
        {
            using var client = production.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/openapi/v1.json")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/reference/")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/reference")).StatusCode);
            var home = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
            Assert.DoesNotContain("href=\"/api/reference/\"", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await using (var configuredOn = Production(enabled: "true"))
        {
            using var client = configuredOn.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            var document = await client.GetAsync("/openapi/v1.json");
            Assert.Equal(HttpStatusCode.OK, document.StatusCode);
            Assert.Equal("Marketplace API", JsonDocument.Parse(await document.Content.ReadAsStringAsync()).RootElement.GetProperty("info").GetProperty("title").GetString());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/reference/")).StatusCode);
            Assert.Contains("href=\"/api/reference/\"", await (await client.GetAsync("/")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Development serves both by default (the fixture runs as Development with no setting).
        using var development = Fixture.Client();
        Assert.Equal(HttpStatusCode.OK, (await development.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await development.GetAsync("/api/reference/")).StatusCode);
        Assert.Contains("href=\"/api/reference/\"", await (await development.GetAsync("/")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_can_turn_the_document_off()
    {
        await using var off = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("ConnectionStrings:Marketplace", Fixture.ConnectionString);
            b.UseSetting("ConnectionStrings:MarketplaceMigrations", Fixture.OwnerConnectionString);
            b.UseSetting("DemoWorld:Seed", "false");
            b.UseSetting("Database:MigrateOnStartup", "false");
            b.UseSetting("Hangfire:Server", "false");
            b.UseSetting(EnabledSetting, "false");
        });
        using var client = off.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/reference/")).StatusCode);
    }

    /// <summary>A second app in Production over the fixture's database (already migrated; Production neither migrates nor seeds).</summary>
    private WebApplicationFactory<Program> Production(string? enabled) => new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
    {
        b.UseEnvironment("Production");
        b.UseSetting("ConnectionStrings:Marketplace", Fixture.ConnectionString);
        b.UseSetting("Hangfire:Server", "false");
        if (enabled is not null) b.UseSetting(EnabledSetting, enabled);
    });

    private async Task<JsonElement> DocumentAsync()
    {
        using var anonymous = Fixture.Client();
        return await (await anonymous.GetAsync("/openapi/v1.json")).JsonAsync(HttpStatusCode.OK);
    }

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement doc) =>
        doc.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(op => Methods.Contains(op.Name))
                .Select(op => (op.Name, path.Name, op.Value)));

    /// <summary>
    /// A request for a documented operation with placeholder values: well-formed for each parameter's
    /// type (so the route's constraints match), each required query parameter, a JSON body holding each required member (so the
    /// body binds and the request reaches the endpoint), or an empty body of the documented media type.
    /// Identifiers match nothing, so no request changes anything.
    /// </summary>
    private static HttpRequestMessage Request(JsonElement doc, string method, string path, JsonElement operation)
    {
        var url = path;
        var query = new List<string>();
        if (operation.TryGetProperty("parameters", out var parameters))
            foreach (var p in parameters.EnumerateArray())
            {
                var name = p.GetProperty("name").GetString()!;
                var value = Placeholder(p.GetProperty("schema"));
                if (p.GetProperty("in").GetString() == "path") url = url.Replace("{" + name + "}", value, StringComparison.Ordinal);
                else if (p.GetProperty("in").GetString() == "query" && p.TryGetProperty("required", out var r) && r.GetBoolean())
                    query.Add($"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}");
            }
        if (query.Count > 0) url += "?" + string.Join('&', query);
        var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
        if (operation.TryGetProperty("requestBody", out var body))
        {
            var types = body.GetProperty("content").EnumerateObject().Select(c => c.Name).ToList();
            request.Content = types.Contains("application/json")
                ? new StringContent(Sample(doc, body.GetProperty("content").GetProperty("application/json").GetProperty("schema"), 0)?.ToJsonString() ?? "{}",
                    Encoding.UTF8, "application/json")
                : new StringContent("", Encoding.UTF8, types.FirstOrDefault() ?? "application/octet-stream");
        }
        return request;
    }

    /// <summary>A value of the schema's type, with the required members of an object (placeholders, not valid values).</summary>
    private static System.Text.Json.Nodes.JsonNode? Sample(JsonElement doc, JsonElement schema, int depth)
    {
        if (schema.TryGetProperty("$ref", out var reference))
            schema = doc.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/').Last());
        var types = schema.TryGetProperty("type", out var t)
            ? (t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()!).ToList() : [t.GetString()!])
            : [];
        var type = types.FirstOrDefault(x => x != "null") ?? (schema.TryGetProperty("properties", out _) ? "object" : "null");
        if (schema.TryGetProperty("enum", out var values)) return System.Text.Json.Nodes.JsonValue.Create(values[0].ToString());
        switch (type)
        {
            case "object" when depth < 4:
                var obj = new System.Text.Json.Nodes.JsonObject();
                if (schema.TryGetProperty("required", out var required) && schema.TryGetProperty("properties", out var properties))
                    foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                        if (properties.TryGetProperty(name, out var property)) obj[name] = Sample(doc, property, depth + 1);
                return obj;
            case "array": return new System.Text.Json.Nodes.JsonArray();
            case "integer" or "number": return System.Text.Json.Nodes.JsonValue.Create(0);
            case "boolean": return System.Text.Json.Nodes.JsonValue.Create(false);
            case "string": return System.Text.Json.Nodes.JsonValue.Create(
                schema.TryGetProperty("format", out var format) && format.GetString() == "date" ? "2099-01-01" : "placeholder");
            default: return null;
        }
    }

    private static string Placeholder(JsonElement schema)
    {
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        var type = schema.TryGetProperty("type", out var t) ? t.ToString() : "";
        if (format == "uuid") return "0f8fad5b-d9cb-469f-a165-70867728950e";
        return type.Contains("integer", StringComparison.Ordinal) ? "999999" : "placeholder";
    }

    private static bool HasDetail(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.TryGetProperty("detail", out var d) && !string.IsNullOrWhiteSpace(d.GetString());
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string WithoutConstraints(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern.TrimEnd('/'), @"\{([^}:?=]+)[^}]*\}", "{$1}");

    private static string Describe(JsonElement p)
    {
        var location = p.GetProperty("location").EnumerateArray().Select(l => l.TryGetProperty("pointer", out var ptr) ? ptr.GetString() : null).FirstOrDefault();
        return $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()} at {location}";
    }

    /// <summary>
    /// Runs the pinned Redocly CLI (tests/Marketplace.IntegrationTests/openapi-lint, installed by infra/test.sh
    /// with npm ci) over the file with the recommended rules, offline: no telemetry, no update check.
    /// </summary>
    private static async Task<JsonElement> RedoclyLintAsync(string file)
    {
        var lint = LintFolder();
        var cli = Path.Combine(lint, "node_modules", "@redocly", "cli", "bin", "cli.js");
        Assert.True(File.Exists(cli), $"Redocly CLI not installed: run `npm ci` in {lint} (infra/test.sh does it).");
        // infra/test.sh points MARKETPLACE_NODE at a newer Node.js when the machine's is older than Redocly needs.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("MARKETPLACE_NODE") is { Length: > 0 } node ? node : "node")
        {
            WorkingDirectory = lint,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { cli, "lint", "--config", Path.Combine(lint, "redocly.yaml"), "--format=json", "--max-problems=10000", file })
            start.ArgumentList.Add(arg);
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var json = await stdout;
        Assert.True(json.TrimStart().StartsWith('{'), $"Redocly exited {process.ExitCode} without a report: {await stderr}");
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private static string LintFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Marketplace.IntegrationTests", "openapi-lint");
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }
        throw new InvalidOperationException("tests/Marketplace.IntegrationTests/openapi-lint not found above " + AppContext.BaseDirectory);
    }
}
