using Marketplace.Application.Common;
using Marketplace.Application.Features.Offers;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Api;

/// <summary>The catalogue and the offers' lifecycle: /api/v1/offers.</summary>
internal static class OfferEndpoints
{
    public sealed record RejectBody(string? Reason);

    public static void MapOfferEndpoints(this RouteGroupBuilder api)
    {
        var offers = api.MapGroup("/offers").WithTags("Offers");

        offers.MapGet("/", async (IMediator mediator, CancellationToken ct,
                string? q, string? subject, string? phase, string? category, string? tier, string? providerKind,
                string? la, string? sort, int? page, int? pageSize) =>
            TypedResults.Ok(await mediator.Send(new SearchOffers.Query
            {
                Q = q, Subject = subject, Phase = phase, Category = category, Tier = tier, ProviderKind = providerKind,
                La = la, Sort = sort, Page = page ?? 1, PageSize = pageSize ?? Paging.DefaultPageSize,
            }, ct)))
            .WithName("SearchOffers").WithSummary("Search the published catalogue")
            .WithDescription("Free text over title, description and provider name; filters by subject, phase, category, tier, provider kind and selling LA (code or name), all case-insensitive; sort by relevance, title, price, -price or newest; paged.");

        offers.MapGet("/{id:guid}", async (Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var offer = await mediator.Send(new GetOffer.Query(id), ct);
                if (offer.RowVersion is { } rv) http.Response.Headers.ETag = $"\"{rv}\"";
                return TypedResults.Ok(offer);
            })
            .WithName("GetOffer").WithSummary("One offer: the published version, or for its provider and approving LA the version being worked on");

        offers.MapPost("/", async (OfferInput body, Guid? providerId, IMediator mediator, CancellationToken ct) =>
            {
                var id = await mediator.Send(new CreateOffer.Command(body, providerId), ct);
                var created = await mediator.Send(new GetOffer.Query(id), ct);
                return TypedResults.Created($"/api/v1/offers/{id}", created);
            })
            .RequireAuthorization().WithName("CreateOffer").WithSummary("Create a draft offer (providers; admins name the provider)");

        offers.MapPut("/{id:guid}", async (Guid id, OfferInput body, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new EditOffer.Command(id, body, IfMatch(http)), ct);
                return TypedResults.Ok(await mediator.Send(new GetOffer.Query(id), ct));
            })
            .RequireAuthorization().WithName("EditOffer").WithSummary("Edit an offer; a published offer gets a new draft version. Send If-Match with the ETag to refuse stale edits.");

        offers.MapPost("/{id:guid}/submit", (Guid id, HttpContext http, IMediator m, CancellationToken ct) =>
                Transition(m, new SubmitOffer.Command(id, IfMatch(http)), id, ct))
            .RequireAuthorization().WithName("SubmitOffer").WithSummary("Submit a draft for the LA's approval");
        offers.MapPost("/{id:guid}/withdraw", (Guid id, HttpContext http, IMediator m, CancellationToken ct) =>
                Transition(m, new WithdrawOffer.Command(id, IfMatch(http)), id, ct))
            .RequireAuthorization().WithName("WithdrawOffer").WithSummary("Withdraw an offer from the catalogue");
        offers.MapPost("/{id:guid}/approve", (Guid id, HttpContext http, IMediator m, CancellationToken ct) =>
                Transition(m, new ApproveOffer.Command(id, IfMatch(http)), id, ct))
            .RequireAuthorization().WithName("ApproveOffer").WithSummary("Approve an offer awaiting approval (commissioners of the provider's LA)");
        offers.MapPost("/{id:guid}/reject", (Guid id, RejectBody body, HttpContext http, IMediator m, CancellationToken ct) =>
                Transition(m, new RejectOffer.Command(id, body.Reason, IfMatch(http)), id, ct))
            .RequireAuthorization().WithName("RejectOffer").WithSummary("Reject an offer awaiting approval, with a reason");
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
}
