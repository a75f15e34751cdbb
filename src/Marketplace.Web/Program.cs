using System.Text.Json;
using System.Text.Json.Serialization;
using Hangfire;
using Hangfire.PostgreSql;
using Marketplace.Application;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Web.Api;
using Marketplace.Web.Hosting;
using Marketplace.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Scalar.AspNetCore;

// UK calendar dates drive periods, deadlines and expiry: refuse to start without the Europe/London zone.
_ = UkClock.London;

var builder = WebApplication.CreateBuilder(args);
var migrateOnly = args.Contains("migrate");

using var bootstrapLogs = LoggerFactory.Create(l => l.AddConsole());
var bootLogger = bootstrapLogs.CreateLogger("Marketplace.Startup");
var connections = await DatabaseBootstrap.ResolveAsync(builder.Configuration, builder.Environment, bootLogger);
var (connectionString, embedded) = (connections.App, connections.Embedded);
builder.Services.AddSingleton(connections);
if (embedded is not null) builder.Services.AddSingleton(embedded).AddHostedService<EmbeddedPostgresLifetime>();
// Keys in the database: sign-ins survive a restart and every instance reads the others' cookies and tokens.
builder.Services.AddDataProtection().SetApplicationName("Marketplace").PersistKeysToDbContext<MarketplaceDbContext>();

builder.Services.AddMarketplaceApplication(connectionString);
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<ICurrentUser, HttpCurrentUser>();

builder.Services.AddIdentityApiEndpoints<AppUser>(options =>
    {
        options.User.RequireUniqueEmail = true;
        options.Password.RequiredLength = 12;
        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
    })
    .AddRoles<IdentityRole<Guid>>()
    .AddEntityFrameworkStores<MarketplaceDbContext>()
    .AddSignInManager<MarketplaceSignInManager>()
    .AddClaimsPrincipalFactory<MarketplaceClaimsFactory>();

builder.Services.ConfigureApplicationCookie(options =>
{
    options.LoginPath = "/account/sign-in";
    options.LogoutPath = "/account/sign-out";
    options.AccessDeniedPath = "/account/access-denied";
    options.Cookie.Name = "marketplace.auth";
    options.Cookie.HttpOnly = true;
    options.Cookie.SameSite = SameSiteMode.Lax;
    options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
    options.ExpireTimeSpan = TimeSpan.FromHours(8);
    options.SlidingExpiration = true;
    // The API answers 401/403; only pages redirect to the sign-in page.
    options.Events.OnRedirectToLogin = ctx => ApiOr(ctx.HttpContext, StatusCodes.Status401Unauthorized, () => ctx.Response.Redirect(ctx.RedirectUri));
    options.Events.OnRedirectToAccessDenied = ctx => ApiOr(ctx.HttpContext, StatusCodes.Status403Forbidden, () => ctx.Response.Redirect(ctx.RedirectUri));
});
// Identity's API endpoints make "bearer or cookie" the default scheme, whose challenge is a bare 401.
// Challenges and forbids go to the cookie instead: pages redirect to sign-in or access denied, and the
// cookie events below still answer API calls with 401/403. Bearer tokens keep authenticating.
builder.Services.AddAuthentication(o =>
{
    o.DefaultChallengeScheme = IdentityConstants.ApplicationScheme;
    o.DefaultForbidScheme = IdentityConstants.ApplicationScheme;
});
builder.Services.AddAuthorization();
builder.Services.AddAntiforgery(o => o.HeaderName = "X-CSRF-TOKEN");

builder.Services.AddRazorPages(o =>
{
    o.Conventions.AuthorizeFolder("/Provider");
    o.Conventions.AuthorizeFolder("/La");
    o.Conventions.AddPageRoute("/Provider/Offers/Edit", "/provider/offers/new");
}).AddMvcOptions(o => o.Filters.Add<Marketplace.Web.Ui.PageOutcomeFilter>());
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
});
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
{
    ctx.ProblemDetails.Instance ??= ctx.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Path
        ?? ctx.HttpContext.Request.Path;
    ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier;
});
builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
builder.Services.AddRequestInputGuard();
builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
{
    doc.Info.Title = "Marketplace API";
    doc.Info.Description = "Traded school-improvement services between English local authorities, providers and schools.";
    return Task.CompletedTask;
}));
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

builder.Services.AddHangfire(config => config
    .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
    .UseSimpleAssemblyNameTypeSerializer()
    .UseRecommendedSerializerSettings()
    .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions
    {
        SchemaName = "hangfire",
        QueuePollInterval = TimeSpan.FromMilliseconds(builder.Configuration.GetValue("Hangfire:QueuePollMilliseconds", 1000)),
        UseSlidingInvisibilityTimeout = true,
        PrepareSchemaIfNecessary = true,
    }));
if (!migrateOnly && builder.Configuration.GetValue("Hangfire:Server", true))
    builder.Services.AddHangfireServer(o => o.WorkerCount = builder.Configuration.GetValue("Hangfire:WorkerCount", 2));
builder.Services.AddScoped<Marketplace.Web.Jobs.SubscriptionJobs>();
builder.Services.AddScoped<Marketplace.Web.Jobs.BookingJobs>();
builder.Services.AddScoped<Marketplace.Web.Jobs.OutboxJobs>();
builder.Services.AddScoped<Marketplace.Web.Jobs.LedgerJobs>();

var app = builder.Build();

if (migrateOnly)
{
    await DatabaseBootstrap.MigrateAsync(app.Services);
    app.Logger.LogInformation("Database migrated");
    if (embedded is not null) await embedded.StopAsync();
    return;
}

try
{
    await DatabaseBootstrap.PrepareForDevelopmentAsync(app);
    await DatabaseBootstrap.WarnIfLedgerWritableAsync(app.Services, app.Logger);
}
catch when (embedded is not null)
{
    // A failed start must not leave the private cluster running behind us.
    await embedded.StopAsync();
    throw;
}

// API callers get problem details; people get GOV.UK error pages.
app.UseExceptionHandler("/error/500");
app.UseWhen(ctx => IsApi(ctx.Request.Path), api => api.UseStatusCodePages());
app.UseWhen(ctx => !IsApi(ctx.Request.Path), pages => pages.UseStatusCodePagesWithReExecute("/error/{0}"));
if (!app.Environment.IsDevelopment()) app.UseHsts();
app.Use(async (ctx, next) =>
{
    var h = ctx.Response.Headers;
    h.XContentTypeOptions = "nosniff";
    h.XFrameOptions = "DENY";
    h["Referrer-Policy"] = "strict-origin-when-cross-origin";
    await next();
});
app.UseStaticFiles();
app.UseRouting();
app.UseRequestInputGuard();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapOpenApi("/openapi/{documentName}.json");
// The reference page loads everything from this site (no third-party fonts or scripts).
app.MapScalarApiReference("/api/reference", o => o.WithTitle("Marketplace API").WithOpenApiRoutePattern("/openapi/{documentName}.json").DisableDefaultFonts());
app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
app.MapAuthEndpoints();
app.MapMarketplaceApi();
app.MapRazorPages();
app.MapHangfireDashboard("/admin/jobs", new DashboardOptions
{
    Authorization = [new HangfireAdminAuthorization()],
    DisplayStorageConnectionString = false,
    AppPath = "/",
});

// Recurring jobs are registered in storage at start; the Hangfire server (if this host runs one) executes them.
app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<Marketplace.Web.Jobs.SubscriptionJobs>(
    Marketplace.Web.Jobs.SubscriptionJobs.RecurringJobId, j => j.RunDailyAsync(CancellationToken.None), "30 1 * * *",
    new RecurringJobOptions { TimeZone = Marketplace.Application.Common.UkClock.London });
app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<Marketplace.Web.Jobs.OutboxJobs>(
    Marketplace.Web.Jobs.OutboxJobs.RecurringJobId, j => j.DispatchAsync(CancellationToken.None), Cron.Minutely());
app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<Marketplace.Web.Jobs.BookingJobs>(
    Marketplace.Web.Jobs.BookingJobs.RecurringJobId, j => j.RunDailyAsync(CancellationToken.None), "0 2 * * *",
    new RecurringJobOptions { TimeZone = Marketplace.Application.Common.UkClock.London });
app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<Marketplace.Web.Jobs.LedgerJobs>(
    Marketplace.Web.Jobs.LedgerJobs.RecurringJobId, j => j.CheckAsync(CancellationToken.None), Marketplace.Web.Jobs.LedgerJobs.Schedule,
    new RecurringJobOptions { TimeZone = Marketplace.Application.Common.UkClock.London });

await app.RunAsync();

static bool IsApi(PathString path) =>
    path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/health");

static Task ApiOr(HttpContext http, int status, Action otherwise)
{
    if (IsApi(http.Request.Path))
    {
        http.Response.StatusCode = status;
        return Task.CompletedTask;
    }
    otherwise();
    return Task.CompletedTask;
}

public partial class Program;
