using Marketplace.Application.Features.Bookings;
using Marketplace.Application.Features.LocalAuthorities;
using Marketplace.Application.Features.Offers;
using Mediator;

namespace Marketplace.Web.Api;

/// <summary>Local authorities (public), their approval queue and their disputes: /api/v1/las.</summary>
internal static class LocalAuthorityEndpoints
{
    public static void MapLocalAuthorityEndpoints(this RouteGroupBuilder api)
    {
        var las = api.MapGroup("/las").WithTags("Local authorities");
        las.MapGet("/", async (IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListLocalAuthorities.Query(), ct)))
            .WithName("ListLocalAuthorities").WithSummary("Local authorities trading on the platform");
        las.MapGet("/{code:int}", async (int code, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetLocalAuthority.Query(code), ct)))
            .WithName("GetLocalAuthority").WithSummary("One local authority by its three-digit code");
        las.MapGet("/{code:int}/approvals", async (int code, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListApprovalQueue.Query(code), ct)))
            .RequireAuthorization().WithName("ListApprovalQueue").WithSummary("The LA's queue of offers awaiting approval");

        // Listed under Bookings (not Local authorities), as it always has been.
        var disputes = api.MapGroup("/las/{code:int}/disputes").WithTags("Bookings").RequireAuthorization();
        disputes.MapGet("", async (int code, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListDisputes.Query(code), ct)))
            .WithName("ListDisputes").WithSummary("Disputed deliveries for the LA's commissioners to resolve, and those resolved in the last 90 days");
    }
}
