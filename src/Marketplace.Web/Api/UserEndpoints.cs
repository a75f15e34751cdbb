using Marketplace.Application.Features.Users;
using Mediator;

namespace Marketplace.Web.Api;

/// <summary>People who sign in, for platform admins: find them, remove their access (ending every session at once), give it back.</summary>
internal static class UserEndpoints
{
    public static void MapUserEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization();
        users.MapGet("", async (string? q, int? page, int? pageSize, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListUsers.Query(q, page ?? 1, pageSize ?? Marketplace.Application.Common.Paging.DefaultPageSize), ct)))
            .WithName("ListUsers").WithSummary("Find people by email address or name (platform admins)");
        users.MapPost("/{id:guid}/remove-access", async (Guid id, ReasonBody? body, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new RemoveUserAccess.Command(id, body?.Reason), ct);
                return TypedResults.NoContent();
            })
            .WithName("RemoveUserAccess").WithSummary("Remove a person's access: they cannot sign in, and every session they have ends at once");
        users.MapPost("/{id:guid}/restore-access", async (Guid id, ReasonBody? body, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new RestoreUserAccess.Command(id, body?.Reason), ct);
                return TypedResults.NoContent();
            })
            .WithName("RestoreUserAccess").WithSummary("Give a person their access back; they sign in again");
    }
}
