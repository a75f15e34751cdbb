using Marketplace.Application.Common;
using Marketplace.Application.Features.Schools;
using Mediator;

namespace Marketplace.Web.Api;

/// <summary>Schools the caller may see: /api/v1/schools.</summary>
internal static class SchoolEndpoints
{
    public static void MapSchoolEndpoints(this RouteGroupBuilder api)
    {
        var schools = api.MapGroup("/schools").WithTags("Schools").RequireAuthorization();
        schools.MapGet("/", async (IMediator m, CancellationToken ct, string? q, int? la, int? page, int? pageSize) =>
                TypedResults.Ok(await m.Send(new ListSchools.Query { Q = q, La = la, Page = page ?? 1, PageSize = pageSize ?? Paging.DefaultPageSize }, ct)))
            .WithName("ListSchools").WithSummary("Schools the caller may see: all (admin), the LA's (commissioner), their own (buyer)");
        schools.MapGet("/{urn:int}", async (int urn, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetSchool.Query(urn), ct)))
            .WithName("GetSchool").WithSummary("One school by URN");
    }
}
