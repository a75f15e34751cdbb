using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Marketplace.Web.Api;

/// <summary>
/// The OpenAPI document at /openapi/v1.json and the reference page at /api/reference, written for the
/// councils' developers who generate clients from it: every operation has an operationId and a summary,
/// the bearer scheme sits on each operation that needs a signed-in caller, and the problem-details
/// answers each operation can give are listed (429 where the endpoint is rate-limited). Both are served in Development, and elsewhere only when
/// <see cref="EnabledSetting"/> is true (off in Production by default: the document maps every route).
/// </summary>
internal static class ApiDocument
{
    public const string EnabledSetting = "ApiReference:Enabled";
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string ReferencePath = "/api/reference";
    public const string BearerScheme = "bearer";

    private const string ProblemJson = "application/problem+json";
    private const string ProblemSchema = "ProblemDetails";
    private const string ValidationProblemSchema = "HttpValidationProblemDetails";

    /// <summary>What each area holds, shown beside its tag; the order of the tags is the order the areas are mapped.</summary>
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Authentication"] = "Bearer tokens for API clients: sign in with an email and password, exchange a refresh token (once), sign out. Accounts are created by LAs and admins, never by self-registration.",
        ["Offers"] = "The published catalogue (open to anyone) and an offer's lifecycle: providers draft, edit and submit; the provider's LA approves or rejects.",
        ["Providers"] = "The provider directory, a provider's practitioners and its offers in every state.",
        ["Schools"] = "The schools the caller may see: all (admins), the LA's (commissioners), their own (school buyers).",
        ["Credits"] = "A school's credits: the balance by source and expiry, purchases, and the statement (JSON or CSV).",
        ["Subscriptions"] = "A school's tier subscription (subscribe, change tier, give notice, answer the renewal) and what an LA administers: packages, policy, payers and the subscriptions overview.",
        ["Bookings"] = "A school's booking requests and settings, a provider's bookings, and one booking's lifecycle: confirm, deliver, sign off, dispute and resolve, changes of date, cancellation.",
        ["Practitioners"] = "A provider's practitioners: their working week, absences and a day-by-day calendar.",
        ["Schools causing concern"] = "An LA's schools causing concern: Ofsted outcomes (one at a time or a CSV import), at-risk flags and overrides of the automatic gold enrolment.",
        ["School terms"] = "An LA's school terms and INSET days by academic year: read, replace a year, or import a CSV. Bookings outside term are refused unless the offer can be delivered in school holidays.",
        ["Audit"] = "An LA's audit trail: who changed what, when and why.",
        ["Local authorities"] = "The local authorities trading on the platform (open to anyone) and an LA's queue of offers awaiting approval.",
        ["Account"] = "The signed-in caller.",
        ["Users"] = "People who sign in, for platform admins: find them, remove their access (ending every session at once) and give it back.",
    };

    /// <summary>Served here? Development by default; anywhere else only when configured on.</summary>
    public static bool IsServed(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue<bool?>(EnabledSetting) ?? environment.IsDevelopment();

    public static IServiceCollection AddMarketplaceApiDocument(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton(new ApiReferenceSettings(IsServed(configuration, environment)));
        return services.AddOpenApi("v1", o =>
        {
            o.AddOperationTransformer(DescribeOperationAsync);
            o.AddDocumentTransformer(DescribeDocumentAsync);
        });
    }

    /// <summary>Maps the document and the reference page when they are served; otherwise neither route exists (404).</summary>
    public static void MapMarketplaceApiDocument(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<ApiReferenceSettings>().Served) return;
        app.MapOpenApi(DocumentPath);
        // The reference page loads everything from this site (no third-party fonts or scripts).
        app.MapScalarApiReference(ReferencePath, o => o.WithTitle("Marketplace API").WithOpenApiRoutePattern(DocumentPath).DisableDefaultFonts());
    }

    private static async Task DescribeDocumentAsync(OpenApiDocument doc, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        doc.Info.Title = "Marketplace API";
        doc.Info.Description = "Traded school-improvement services between English local authorities, providers and schools. " +
            "Errors are RFC 9457 problem details (application/problem+json); a 400 lists the fields at fault under `errors`.";
        // The server is this host, as the caller reached it; without the trailing slash, so paths join cleanly.
        foreach (var server in doc.Servers ?? [])
            if (server.Url is { Length: > 1 } url && url.EndsWith('/')) server.Url = url.TrimEnd('/');
        foreach (var tag in doc.Tags ?? new HashSet<OpenApiTag>())
            if (tag.Name is { } name && tag.Description is null && TagDescriptions.TryGetValue(name, out var description))
                tag.Description = description;

        doc.Components ??= new OpenApiComponents();
        doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        doc.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The accessToken from POST /api/v1/auth/login (or /refresh), sent as `Authorization: Bearer <token>`.",
        };
        doc.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!doc.Components.Schemas.ContainsKey(ProblemSchema))
            doc.Components.Schemas[ProblemSchema] = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct);
        if (!doc.Components.Schemas.ContainsKey(ValidationProblemSchema))
            doc.Components.Schemas[ValidationProblemSchema] = await context.GetOrCreateSchemaAsync(typeof(HttpValidationProblemDetails), null, ct);
        // The members every problem of ours may carry beyond RFC 9457's (ProblemDetailsExceptionHandler).
        foreach (var name in new[] { ProblemSchema, ValidationProblemSchema })
            if (doc.Components.Schemas[name] is OpenApiSchema schema)
            {
                schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
                schema.Properties.TryAdd("traceId", new OpenApiSchema { Type = JsonSchemaType.String, Description = "Quote this when reporting a problem." });
                schema.Properties.TryAdd("code", new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "On some 409 and 422 answers, a stable code for the rule that refused the request (e.g. insufficient-credits, stale-write).",
                });
            }
    }

    private static Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var api = context.Description;
        var metadata = api.ActionDescriptor.EndpointMetadata;
        var document = context.Document;
        operation.OperationId ??= FallbackOperationId(api);

        var signedIn = RequiresSignIn(metadata);
        // Anonymous operations still read a bearer token when one is sent (a provider sees its own drafts).
        operation.Security = signedIn
            ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }]
            : [new OpenApiSecurityRequirement(), new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];

        var parameters = api.ParameterDescriptions;
        var takesInput = parameters.Any(p => p.Source == BindingSource.Body || p.Source == BindingSource.Form || p.Source == BindingSource.FormFile
                || p.Source == BindingSource.Query || p.Source == BindingSource.Header
                || (p.Source == BindingSource.Path && p.Type == typeof(string)))
            || metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>().Any();
        var changes = !HttpMethods.IsGet(api.HttpMethod ?? "GET") && !HttpMethods.IsHead(api.HttpMethod ?? "GET");

        operation.Responses ??= new OpenApiResponses();
        if (takesInput) AddProblem(operation, document, 400, "The request is not valid: the fields at fault are listed under `errors`.", ValidationProblemSchema);
        if (signedIn)
        {
            AddProblem(operation, document, 401, "No valid bearer token was sent.");
            AddProblem(operation, document, 403, "The caller may not do this (their role, or what they are bound to).");
        }
        if (parameters.Any(p => p.Source == BindingSource.Path)) AddProblem(operation, document, 404, "Nothing with that identifier, or nothing the caller may see.");
        if (signedIn && changes) AddProblem(operation, document, 409, "A business rule refused the change (see `code`), or someone else changed it first.");
        if (parameters.Any(p => p.Source == BindingSource.Header && string.Equals(p.Name, "Idempotency-Key", StringComparison.OrdinalIgnoreCase)))
            AddProblem(operation, document, 422, "The Idempotency-Key was already used with a different request.");
        if (metadata.OfType<EnableRateLimitingAttribute>().Any() && !metadata.OfType<DisableRateLimitingAttribute>().Any())
        {
            AddProblem(operation, document, 429, "Too many requests from this client: try again after the number of seconds in Retry-After.");
            if (operation.Responses["429"] is OpenApiResponse tooMany)
                (tooMany.Headers ??= new Dictionary<string, IOpenApiHeader>())["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before trying again.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                };
        }
        return Task.CompletedTask;
    }

    /// <summary>A signed-in caller is needed when the endpoint carries an authorization requirement and does not allow anonymous callers.</summary>
    internal static bool RequiresSignIn(IEnumerable<object> metadata)
    {
        var items = metadata as IList<object> ?? metadata.ToList();
        return !items.OfType<IAllowAnonymous>().Any() && (items.OfType<IAuthorizeData>().Any() || items.OfType<AuthorizationPolicy>().Any());
    }

    /// <summary>Adds a problem-details answer unless the endpoint already declares one for that status.</summary>
    private static void AddProblem(OpenApiOperation operation, OpenApiDocument? document, int status, string description, string schema = ProblemSchema)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key)) return;
        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new() { Schema = new OpenApiSchemaReference(schema, document) },
            },
        };
    }

    /// <summary>
    /// For an endpoint without a name: the method and the route, camel-cased without /api/v1 and with
    /// "By" before each parameter, e.g. POST /api/v1/auth/login is postAuthLogin. Named endpoints
    /// (<c>WithName</c>) keep their name, so the operationIds clients are generated from stay stable.
    /// </summary>
    internal static string FallbackOperationId(ApiDescription api)
    {
        var id = new StringBuilder((api.HttpMethod ?? "GET").ToLowerInvariant());
        var path = api.RelativePath ?? "";
        if (path.StartsWith("api/v1/", StringComparison.OrdinalIgnoreCase)) path = path["api/v1/".Length..];
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var parameter = segment.StartsWith('{');
            if (parameter) id.Append("By");
            foreach (var word in segment.Trim('{', '}').Split(':')[0].Split('-', '.', '_'))
                if (word.Length > 0) id.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
        }
        return id.ToString();
    }
}

/// <summary>Whether this host serves the OpenAPI document and the reference page (the footer links to the page only then).</summary>
public sealed record ApiReferenceSettings(bool Served);
