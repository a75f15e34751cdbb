namespace Marketplace.Web.Api;

/// <summary>
/// The JSON API under /api/v1, one mapping file per area. Endpoints only translate HTTP to commands and
/// queries. The order here is the order of the areas in the OpenAPI document and the reference page.
/// </summary>
internal static class MarketplaceApi
{
    public static void MapMarketplaceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapOfferEndpoints();
        api.MapProviderEndpoints();
        api.MapSchoolEndpoints();
        api.MapCreditEndpoints();
        api.MapSubscriptionEndpoints();
        api.MapBookingEndpoints();
        api.MapPractitionerEndpoints();
        api.MapLaAdministrationEndpoints();
        api.MapConcernEndpoints();
        api.MapTermEndpoints();
        api.MapAuditEndpoints();
        api.MapLocalAuthorityEndpoints();
        api.MapAccountEndpoints();
        api.MapUserEndpoints();
    }
}

/// <summary>A free-text reason, the body of several actions (decline, cancel, dispute, notice, clear a flag, override).</summary>
public sealed record ReasonBody(string? Reason);
