using Marketplace.Application.Features.Credits;
using Marketplace.Application.Features.LocalAuthorities;
using Marketplace.Application.Features.Offers;
using Marketplace.Application.Features.Providers;
using Marketplace.Application.Features.Schools;
using Marketplace.Application.Common;
using Marketplace.Application.Identity;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Api;

/// <summary>The JSON API under /api/v1. Endpoints only translate HTTP to commands and queries.</summary>
internal static class ApiEndpoints
{
    public static void MapMarketplaceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        MapOffers(api.MapGroup("/offers").WithTags("Offers"));
        MapProviders(api.MapGroup("/providers").WithTags("Providers").RequireAuthorization());
        MapSchools(api.MapGroup("/schools").WithTags("Schools").RequireAuthorization());
        MapLocalAuthorities(api.MapGroup("/las").WithTags("Local authorities"));

        api.MapGet("/me", (ICurrentUser user, HttpContext http) => TypedResults.Ok(new Me(
                user.UserId!.Value,
                http.User.Identity!.Name!,
                Roles.All.Where(user.IsInRole).ToArray(),
                user.SchoolId, user.ProviderId, user.LocalAuthorityId)))
            .RequireAuthorization().WithTags("Account").WithSummary("Who the caller is signed in as, and what they are bound to");
    }

    public sealed record Me(Guid Id, string Email, string[] Roles, Guid? SchoolId, Guid? ProviderId, Guid? LocalAuthorityId);

    public sealed record RejectBody(string? Reason);

    public sealed record PurchaseBody(int? Credits, string? PurchaseOrderNumber);

    private static void MapOffers(RouteGroupBuilder offers)
    {
        offers.MapGet("/", async (IMediator mediator, CancellationToken ct,
                string? q, string? subject, string? phase, string? category, string? tier, string? providerKind,
                string? la, string? sort, int? page, int? pageSize) =>
            TypedResults.Ok(await mediator.Send(new SearchOffers.Query
            {
                Q = q, Subject = subject, Phase = phase, Category = category, Tier = tier, ProviderKind = providerKind,
                La = la, Sort = sort, Page = page ?? 1, PageSize = pageSize ?? Paging.DefaultPageSize,
            }, ct)))
            .WithSummary("Search the published catalogue")
            .WithDescription("Free text over title, description and provider name; filters by subject, phase, category, tier, provider kind and selling LA (code or name), all case-insensitive; sort by relevance, title, price, -price or newest; paged.");

        offers.MapGet("/{id:guid}", async (Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var offer = await mediator.Send(new GetOffer.Query(id), ct);
                if (offer.RowVersion is { } rv) http.Response.Headers.ETag = $"\"{rv}\"";
                return TypedResults.Ok(offer);
            })
            .WithSummary("One offer: the published version, or for its provider and approving LA the version being worked on");

        offers.MapPost("/", async (OfferInput body, Guid? providerId, IMediator mediator, CancellationToken ct) =>
            {
                var id = await mediator.Send(new CreateOffer.Command(body, providerId), ct);
                var created = await mediator.Send(new GetOffer.Query(id), ct);
                return TypedResults.Created($"/api/v1/offers/{id}", created);
            })
            .RequireAuthorization().WithSummary("Create a draft offer (providers; admins name the provider)");

        offers.MapPut("/{id:guid}", async (Guid id, OfferInput body, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new EditOffer.Command(id, body, IfMatch(http)), ct);
                return TypedResults.Ok(await mediator.Send(new GetOffer.Query(id), ct));
            })
            .RequireAuthorization().WithSummary("Edit an offer; a published offer gets a new draft version. Send If-Match with the ETag to refuse stale edits.");

        offers.MapPost("/{id:guid}/submit", (Guid id, HttpContext http, IMediator m, CancellationToken ct) =>
                Transition(m, new SubmitOffer.Command(id, IfMatch(http)), id, ct))
            .RequireAuthorization().WithSummary("Submit a draft for the LA's approval");
        offers.MapPost("/{id:guid}/withdraw", (Guid id, HttpContext http, IMediator m, CancellationToken ct) =>
                Transition(m, new WithdrawOffer.Command(id, IfMatch(http)), id, ct))
            .RequireAuthorization().WithSummary("Withdraw an offer from the catalogue");
        offers.MapPost("/{id:guid}/approve", (Guid id, HttpContext http, IMediator m, CancellationToken ct) =>
                Transition(m, new ApproveOffer.Command(id, IfMatch(http)), id, ct))
            .RequireAuthorization().WithSummary("Approve an offer awaiting approval (commissioners of the provider's LA)");
        offers.MapPost("/{id:guid}/reject", (Guid id, RejectBody body, HttpContext http, IMediator m, CancellationToken ct) =>
                Transition(m, new RejectOffer.Command(id, body.Reason, IfMatch(http)), id, ct))
            .RequireAuthorization().WithSummary("Reject an offer awaiting approval, with a reason");
    }

    private static async Task<Ok<OfferDetail>> Transition(IMediator mediator, ICommand<Guid> command, Guid id, CancellationToken ct)
    {
        await mediator.Send(command, ct);
        return TypedResults.Ok(await mediator.Send(new GetOffer.Query(id), ct));
    }

    /// <summary>If-Match: "123" carries the offer's row version; absent means "last write wins".</summary>
    private static uint? IfMatch(HttpContext http)
    {
        var header = http.Request.Headers.IfMatch.ToString().Trim().Trim('"');
        if (header.Length == 0) return null;
        return uint.TryParse(header, out var v)
            ? v
            : throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure("If-Match", "If-Match must be the ETag returned with the offer.")]);
    }

    private static void MapProviders(RouteGroupBuilder providers)
    {
        providers.MapGet("/", async (IMediator m, CancellationToken ct, string? kind, int? la, int? page, int? pageSize) =>
                TypedResults.Ok(await m.Send(new ListProviders.Query { Kind = kind, La = la, Page = page ?? 1, PageSize = pageSize ?? Paging.DefaultPageSize }, ct)))
            .WithSummary("The provider directory");
        providers.MapGet("/{id:guid}", async (Guid id, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetProvider.Query(id), ct)))
            .WithSummary("A provider and its practitioners");
        providers.MapGet("/{id:guid}/offers", async (Guid id, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListProviderOffers.Query(id), ct)))
            .WithSummary("A provider's offers in every state (the provider, its LA's commissioners, admins)");
    }

    private static void MapSchools(RouteGroupBuilder schools)
    {
        schools.MapGet("/", async (IMediator m, CancellationToken ct, string? q, int? la, int? page, int? pageSize) =>
                TypedResults.Ok(await m.Send(new ListSchools.Query { Q = q, La = la, Page = page ?? 1, PageSize = pageSize ?? Paging.DefaultPageSize }, ct)))
            .WithSummary("Schools the caller may see: all (admin), the LA's (commissioner), their own (buyer)");
        schools.MapGet("/{urn:int}", async (int urn, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetSchool.Query(urn), ct)))
            .WithSummary("One school by URN");
        schools.MapGet("/{urn:int}/credits", async (int urn, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetCreditBalance.Query(urn), ct)))
            .WithTags("Credits").WithSummary("The school's usable credits by source and expiry");
        schools.MapPost("/{urn:int}/credits/purchases", async (int urn, PurchaseBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                IMediator m, CancellationToken ct) =>
            {
                var result = await m.Send(new PurchaseCredits.Command(urn, body.Credits, body.PurchaseOrderNumber, idempotencyKey), ct);
                return TypedResults.Created($"/api/v1/schools/{urn}/credits/purchases/{result.PurchaseId}", result);
            })
            .WithTags("Credits")
            .WithSummary("Buy credits (recorded on account, to be invoiced). Send an Idempotency-Key header: a retry with the same key and body returns the first purchase; the same key with a different body is refused with 422.");
    }

    private static void MapLocalAuthorities(RouteGroupBuilder las)
    {
        las.MapGet("/", async (IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListLocalAuthorities.Query(), ct)))
            .WithSummary("Local authorities trading on the platform");
        las.MapGet("/{code:int}", async (int code, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetLocalAuthority.Query(code), ct)))
            .WithSummary("One local authority by its three-digit code");
        las.MapGet("/{code:int}/approvals", async (int code, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListApprovalQueue.Query(code), ct)))
            .RequireAuthorization().WithSummary("The LA's queue of offers awaiting approval");
    }
}
