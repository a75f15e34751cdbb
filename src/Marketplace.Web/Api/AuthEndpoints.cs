using Marketplace.Application.Identity;

namespace Marketplace.Web.Api;

/// <summary>
/// Bearer tokens for API clients from ASP.NET Core Identity's own endpoints, under /api/v1/auth.
/// Only login and refresh are exposed: accounts are created by LAs and admins, never by
/// self-registration, so /register, password reset and two-factor management answer 404 here.
/// </summary>
internal static class AuthEndpoints
{
    private static readonly string[] Exposed = ["/login", "/refresh"];

    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth").WithTags("Authentication");
        group.AddEndpointFilter(async (ctx, next) =>
        {
            var path = ctx.HttpContext.Request.Path.Value ?? "";
            var suffix = path["/api/v1/auth".Length..];
            return Exposed.Contains(suffix, StringComparer.OrdinalIgnoreCase) ? await next(ctx) : Results.NotFound();
        });
        group.MapIdentityApi<AppUser>();
    }
}
