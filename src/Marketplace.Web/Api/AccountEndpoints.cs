using Marketplace.Application.Common;
using Marketplace.Application.Identity;

namespace Marketplace.Web.Api;

/// <summary>The signed-in caller, under /api/v1/me (sign-in itself is in <see cref="AuthEndpoints"/>).</summary>
internal static class AccountEndpoints
{
    public static void MapAccountEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/me", (ICurrentUser user, HttpContext http) => TypedResults.Ok(new Me(
                user.UserId!.Value,
                http.User.Identity!.Name!,
                Roles.All.Where(user.IsInRole).ToArray(),
                user.SchoolId, user.ProviderId, user.LocalAuthorityId)))
            .RequireAuthorization().WithTags("Account").WithName("GetMe").WithSummary("Who the caller is signed in as, and what they are bound to");
    }

    public sealed record Me(Guid Id, string Email, string[] Roles, Guid? SchoolId, Guid? ProviderId, Guid? LocalAuthorityId);
}
