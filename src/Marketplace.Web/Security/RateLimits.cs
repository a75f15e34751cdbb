using System.Threading.RateLimiting;
using Marketplace.Web.Api;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;

namespace Marketplace.Web.Security;

/// <summary>
/// ASP.NET Core's rate limiter, per client address: sign-in and token refresh (the page's POST and the
/// API's) at <c>RateLimits:SignInPerMinute</c> (10), and anything else asked anonymously at
/// <c>RateLimits:AnonymousPerMinute</c> (300). Signed-in users, health checks and error pages (the 429 page itself) are not limited here.
/// A refusal is a 429 with <c>Retry-After</c>; status-code pages give it a problem body or an error page.
/// </summary>
internal static class RateLimits
{
    public static IServiceCollection AddMarketplaceRateLimits(this IServiceCollection services, IConfiguration config)
    {
        var signInPerMinute = config.GetValue("RateLimits:SignInPerMinute", 10);
        var anonymousPerMinute = config.GetValue("RateLimits:AnonymousPerMinute", 300);
        return services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (ctx, _) =>
            {
                var wait = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
                ctx.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(AuthEndpoints.SignInLimit, http => HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter("sign-in:" + SignInGate.ClientKey(http.Connection.RemoteIpAddress), _ => PerMinute(signInPerMinute))
                : RateLimitPartition.GetNoLimiter("sign-in:page"));
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.User.Identity?.IsAuthenticated == true || http.Request.Path.StartsWithSegments("/health")
                || http.Request.Path.StartsWithSegments("/error")
                    ? RateLimitPartition.GetNoLimiter("signed-in")
                    : RateLimitPartition.GetFixedWindowLimiter("anonymous:" + SignInGate.ClientKey(http.Connection.RemoteIpAddress), _ => PerMinute(anonymousPerMinute)));
        });
    }

    private static FixedWindowRateLimiterOptions PerMinute(int permits) => new()
    {
        PermitLimit = Math.Max(1, permits),
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}

/// <summary>
/// Behind a reverse proxy that ends TLS, the client's address and scheme come from X-Forwarded-For and
/// X-Forwarded-Proto, trusted only from the proxies listed in <c>ForwardedHeaders:KnownProxies</c>
/// (comma-separated addresses). Without that list the headers are ignored: a client cannot forge its
/// address to dodge the rate limits.
/// </summary>
internal static class ForwardedHeadersSetup
{
    public static IServiceCollection AddMarketplaceForwardedHeaders(this IServiceCollection services, IConfiguration config)
    {
        var proxies = (config["ForwardedHeaders:KnownProxies"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
                if (System.Net.IPAddress.TryParse(proxy, out var address)) o.KnownProxies.Add(address);
                else throw new InvalidOperationException($"ForwardedHeaders:KnownProxies has '{proxy}', which is not an IP address.");
        });
    }

    public static IApplicationBuilder UseMarketplaceForwardedHeaders(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
        return options.KnownProxies.Count > 0 ? app.UseForwardedHeaders() : app;
    }
}
