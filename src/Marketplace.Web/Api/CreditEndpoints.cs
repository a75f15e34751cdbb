using Marketplace.Application.Features.Credits;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Api;

/// <summary>A school's credits: balance, purchases and statement, under /api/v1/schools/{urn}/credits.</summary>
internal static class CreditEndpoints
{
    public sealed record PurchaseBody(int? Credits, string? PurchaseOrderNumber);

    public static void MapCreditEndpoints(this RouteGroupBuilder api)
    {
        var credits = api.MapGroup("/schools/{urn:int}/credits").RequireAuthorization();
        credits.MapGet("", async (int urn, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetCreditBalance.Query(urn), ct)))
            .WithTags("Credits").WithName("GetCreditBalance").WithSummary("The school's usable credits by source and expiry");
        credits.MapPost("/purchases", async (int urn, PurchaseBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                IMediator m, CancellationToken ct) =>
            {
                var result = await m.Send(new PurchaseCredits.Command(urn, body.Credits, body.PurchaseOrderNumber, idempotencyKey), ct);
                return TypedResults.Created($"/api/v1/schools/{urn}/credits/purchases/{result.PurchaseId}", result);
            })
            .WithTags("Credits")
            .WithName("PurchaseCredits").WithSummary("Buy credits (recorded on account, to be invoiced). The school's tier discount applies and the package sets how long they last. A school that quotes a purchase-order number on every booking must send one (400 otherwise). Send an Idempotency-Key header: a retry with the same key and body returns the first purchase; the same key with a different body is refused with 422.");
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
