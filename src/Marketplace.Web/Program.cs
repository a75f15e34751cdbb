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
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

// UK calendar dates drive periods, deadlines and expiry: refuse to start without the Europe/London zone.
_ = UkClock.London;

var builder = WebApplication.CreateBuilder(args);
var migrateOnly = args.Contains("migrate");

using var bootstrapLogs = LoggerFactory.Create(l => l.AddConsole());
var bootLogger = bootstrapLogs.CreateLogger("Marketplace.Startup");
var connections = await DatabaseBootstrap.ResolveAsync(builder.Configuration, builder.Environment, bootLogger);
var (connectionString, embedded) = (connections.App, connections.Embedded);
builder.Services.AddSingleton(connections);
DatabaseBootstrap.UseInstanceMailFolder(builder.Services, builder.Configuration, builder.Environment, connections, bootLogger);
if (embedded is not null) builder.Services.AddSingleton(embedded).AddHostedService<EmbeddedPostgresLifetime>();
// Keys in the database: sign-ins survive a restart and every instance reads the others' cookies and tokens.
builder.Services.AddDataProtection().SetApplicationName("Marketplace").PersistKeysToDbContext<MarketplaceDbContext>();

builder.Services.AddMarketplaceApplication(connectionString);
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<ICurrentUser, HttpCurrentUser>();

builder.Services.AddIdentity<AppUser, IdentityRole<Guid>>(options =>
    {
        options.User.RequireUniqueEmail = true;
        options.Password.RequiredLength = 12;
        // Wrong passwords lock one client out of one address (SignInGate), never the account itself:
        // Identity's account lockout only keeps out users whose access an admin removed.
        options.Lockout.AllowedForNewUsers = true;
    })
    .AddEntityFrameworkStores<MarketplaceDbContext>()
    .AddSignInManager<MarketplaceSignInManager>()
    .AddClaimsPrincipalFactory<MarketplaceClaimsFactory>()
    .AddDefaultTokenProviders();
builder.Services.AddScoped<SessionStore>();
builder.Services.AddScoped<SignInGate>();

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
    // Every request checks the cookie's session: signed out, access removed or password changed ends it.
    options.Events.OnValidatePrincipal = async ctx =>
    {
        var sessions = ctx.HttpContext.RequestServices.GetRequiredService<SessionStore>();
        if (ctx.Principal is null || !await sessions.IsBrowserSessionLiveAsync(ctx.Principal, ctx.HttpContext.RequestAborted))
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    };
});
// The API reads bearer tokens only (never the cookie, so no cross-site request can act with a browser's
// session there); pages and the jobs dashboard read the cookie only.
builder.Services.AddAuthentication(o =>
    {
        o.DefaultScheme = "Marketplace";
        o.DefaultAuthenticateScheme = "Marketplace";
        o.DefaultChallengeScheme = "Marketplace";
        o.DefaultForbidScheme = "Marketplace";
    })
    .AddScheme<AuthenticationSchemeOptions, SessionBearerHandler>(SessionBearerHandler.SchemeName, null)
    .AddPolicyScheme("Marketplace", "Bearer on the API, the cookie elsewhere", o =>
        o.ForwardDefaultSelector = ctx => IsApi(ctx.Request.Path) ? SessionBearerHandler.SchemeName : IdentityConstants.ApplicationScheme);
builder.Services.AddAuthorization();
builder.Services.AddAntiforgery(o =>
{
    o.HeaderName = "X-CSRF-TOKEN";
    o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
});
builder.Services.AddMarketplaceRateLimits(builder.Configuration);
builder.Services.AddMarketplaceForwardedHeaders(builder.Configuration);

builder.Services.AddRazorPages(o =>
{
    o.Conventions.AuthorizeFolder("/Provider");
    o.Conventions.AuthorizeFolder("/La");
    o.Conventions.AddPageRoute("/Provider/Offers/Edit", "/provider/offers/new");
    o.Conventions.AddPageApplicationModelConvention("/Account/SignIn",
        m => m.EndpointMetadata.Add(new Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute(AuthEndpoints.SignInLimit)));
}).AddMvcOptions(o =>
{
    o.Filters.Add<Marketplace.Web.Ui.PageOutcomeFilter>();
    o.ModelMetadataDetailsProviders.Add(new Marketplace.Web.Ui.PlainBindingMessages());
});
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
builder.Services.AddMarketplaceApiDocument(builder.Configuration, builder.Environment);
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
builder.Services.AddScoped<Marketplace.Web.Jobs.SecurityJobs>();
builder.Services.AddSingleton<Marketplace.Application.Common.IJobMonitor, Marketplace.Web.Jobs.HangfireJobMonitor>();

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

app.UseMarketplaceForwardedHeaders();
// API callers get problem details; people get GOV.UK error pages.
// A page whose command refuses the input (a 400, 403, 404 or 409 the API would answer) shows that error
// page with that status, never "a problem with the service": no 500 a person can cause.
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    ExceptionHandlingPath = "/error/500",
    StatusCodeSelector = exception => ProblemDetailsExceptionHandler.ToProblem(exception)?.Status ?? StatusCodes.Status500InternalServerError,
});
app.UseWhen(ctx => IsApi(ctx.Request.Path), api => api.UseStatusCodePages());
app.UseWhen(ctx => !IsApi(ctx.Request.Path), pages => pages.UseStatusCodePagesWithReExecute("/error/{0}"));
if (!app.Environment.IsDevelopment()) app.UseHsts();
app.UseMiddleware<SecurityHeaders>();
app.UseStaticFiles();
app.UseRouting();
app.UseRequestInputGuard();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.UseAntiforgery();

app.MapMarketplaceApiDocument();
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
app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<Marketplace.Web.Jobs.SecurityJobs>(
    Marketplace.Web.Jobs.SecurityJobs.RecurringJobId, j => j.ForgetStaleAsync(CancellationToken.None), Marketplace.Web.Jobs.SecurityJobs.Schedule,
    new RecurringJobOptions { TimeZone = Marketplace.Application.Common.UkClock.London });

await app.RunAsync();

static bool IsApi(PathString path) =>
    path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/health");

public partial class Program;
