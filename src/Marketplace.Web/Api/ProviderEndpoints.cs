using Marketplace.Application.Common;
using Marketplace.Application.Features.Offers;
using Marketplace.Application.Features.Providers;
using Mediator;

namespace Marketplace.Web.Api;

/// <summary>The provider directory and a provider's offers: /api/v1/providers.</summary>
internal static class ProviderEndpoints
{
    public static void MapProviderEndpoints(this RouteGroupBuilder api)
    {
        var providers = api.MapGroup("/providers").WithTags("Providers").RequireAuthorization();
        providers.MapGet("/", async (IMediator m, CancellationToken ct, string? kind, int? la, int? page, int? pageSize) =>
                TypedResults.Ok(await m.Send(new ListProviders.Query { Kind = kind, La = la, Page = page ?? 1, PageSize = pageSize ?? Paging.DefaultPageSize }, ct)))
            .WithName("ListProviders").WithSummary("The provider directory");
        providers.MapGet("/{id:guid}", async (Guid id, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetProvider.Query(id), ct)))
            .WithName("GetProvider").WithSummary("A provider and its practitioners");
        providers.MapGet("/{id:guid}/offers", async (Guid id, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListProviderOffers.Query(id), ct)))
            .WithName("ListProviderOffers").WithSummary("A provider's offers in every state (the provider, its LA's commissioners, admins)");
    }
}
