using Marketplace.Application.Features.Credits;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Api;

/// <summary>A school's credits: balance, purchases and statement, under /api/v1/schools/{urn}/credits.</summary>
internal static class CreditEndpoints
{
    public sealed record PurchaseBody(int? Credits, string? PurchaseOrderNumber);

    public sealed record DeclineBody(string? Reason);

    public static void MapCreditEndpoints(this RouteGroupBuilder api)
    {
        var credits = api.MapGroup("/schools/{urn:int}/credits").RequireAuthorization();
        credits.MapGet("", async (int urn, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetCreditBalance.Query(urn), ct)))
            .WithTags("Credits").WithName("GetCreditBalance").WithSummary("The school's usable credits by source and expiry");
        credits.MapPost("/purchases", async Task<Results<Created<PurchaseCredits.Result>, Accepted<CreditPurchaseRequestView>>> (int urn, PurchaseBody body,
                [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, IMediator m, CancellationToken ct) =>
            {
                var outcome = await m.Send(new PurchaseCredits.Command(urn, body.Credits, body.PurchaseOrderNumber, idempotencyKey), ct);
                if (outcome.PendingRequest is { } pending)
                    return TypedResults.Accepted($"/api/v1/schools/{urn}/credits/purchase-requests/{pending.Id}", pending);
                var result = outcome.Purchase!;
                return TypedResults.Created($"/api/v1/schools/{urn}/credits/purchases/{result.PurchaseId}", result);
            })
            .WithTags("Credits")
            .WithName("PurchaseCredits").WithSummary("Buy credits (recorded on account, to be invoiced). The school's tier discount applies and the package sets how long they last. A school that quotes a purchase-order number on every booking must send one (400 otherwise). A buyer who may not commit the school's spend, asking for more than the LA's approval limit, buys nothing: 202 with a pending purchase request for the school's approver. Send an Idempotency-Key header: a retry with the same key and body returns the first purchase (or request); the same key with a different body is refused with 422.");
        credits.MapGet("/purchase-requests", async (int urn, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListCreditPurchaseRequests.Query(urn), ct)))
            .WithTags("Credits").WithName("ListCreditPurchaseRequests").WithSummary("The school's credit purchase requests awaiting (or decided by) its approver, pending first");
        credits.MapPost("/purchase-requests/{id:guid}/approve", async (int urn, Guid id, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ApproveCreditPurchase.Command(urn, id), ct)))
            .WithTags("Credits").WithName("ApproveCreditPurchase").WithSummary("The school's approver approves a pending purchase request: the credits are bought at today's price. Approving again is refused with 409 and buys nothing more.");
        credits.MapPost("/purchase-requests/{id:guid}/decline", async (int urn, Guid id, DeclineBody body, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new DeclineCreditPurchase.Command(urn, id, body.Reason), ct)))
            .WithTags("Credits").WithName("DeclineCreditPurchase").WithSummary("The school's approver declines a pending purchase request with a reason; nothing is bought (409 if already decided)");
        credits.MapGet("/statement", async (int urn, string? from, string? to, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetStatement.Query(urn, QueryDates.Parse(from, "from"), QueryDates.Parse(to, "to")), ct)))
            .WithTags("Credits").WithName("GetStatement").WithSummary("Credits statement: opening balance, every movement with the grant it used, closing balance (default: this financial year to date)");
        credits.MapGet("/statement.csv", async (int urn, string? from, string? to, IMediator m, CancellationToken ct) =>
            {
                var statement = await m.Send(new GetStatement.Query(urn, QueryDates.Parse(from, "from"), QueryDates.Parse(to, "to")), ct);
                return TypedResults.File(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(GetStatement.ToCsv(statement))).ToArray(),
                    "text/csv; charset=utf-8", $"credits-statement-{urn}-{statement.From:yyyyMMdd}-{statement.To:yyyyMMdd}.csv");
            })
            .WithTags("Credits").WithName("GetStatementCsv").WithSummary("The credits statement as a CSV download").Produces(200, contentType: "text/csv");
    }
}
