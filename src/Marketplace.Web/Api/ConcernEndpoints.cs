using Marketplace.Application.Features.Concern;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Api;

/// <summary>
/// Schools causing concern under /api/v1/las/{code}: the list, Ofsted outcomes (one at a time or a CSV
/// upload), at-risk flags and overrides of the automatic gold enrolment. Each change answers with the
/// school's latest audit entries.
/// </summary>
internal static class ConcernEndpoints
{
    /// <summary>The largest CSV upload accepted, over the API or the page.</summary>
    public const int MaxCsvBytes = 1_000_000;

    public sealed record OfstedBody(int? Urn, string? InspectionDate, int? Grade);

    public sealed record RiskFlagBody(IReadOnlyList<string>? Reasons, string? Note);

    public static void MapConcernEndpoints(this RouteGroupBuilder api)
    {
        var concern = api.MapGroup("/las/{code:int}").WithTags("Schools causing concern").RequireAuthorization();
        concern.MapGet("/concern", async (int code, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListSchoolsCausingConcern.Query(code), ct)))
            .WithName("ListSchoolsCausingConcern").WithSummary("Schools causing concern (Ofsted 3 or 4, or at risk) and their gold enrolment");
        concern.MapPost("/ofsted-outcomes", async (int code, OfstedBody body, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new RecordOfstedOutcome.Command(code, body.Urn, body.InspectionDate, body.Grade), ct);
                return TypedResults.Ok(await m.Send(new GetAuditTrail.Query(code, body.Urn, 1, 10), ct));
            })
            .WithName("RecordOfstedOutcome").WithSummary("Record one Ofsted outcome (grade 1-4); grade 3 or 4 enrols the school at gold. Returns the school's latest audit entries.");
        concern.MapPost("/ofsted-outcomes/import", async (int code, HttpRequest request, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ImportOfstedOutcomes.Command(code, await ReadCsvAsync(request, ct)), ct)))
            .Accepts<string>("text/csv", "multipart/form-data")
            .WithName("ImportOfstedOutcomes").WithSummary("Import Ofsted outcomes from CSV (URN, inspection date, grade); bad rows are reported row by row and import nothing");
        concern.MapPost("/schools/{urn:int}/risk-flag", async (int code, int urn, RiskFlagBody body, IMediator m, CancellationToken ct) =>
                await ThenAuditAsync(m, code, urn, new FlagSchoolAtRisk.Command(code, urn, body.Reasons, body.Note), ct))
            .WithName("FlagSchoolAtRisk").WithSummary("Flag a school at risk with reasons from the York risk criteria; it is enrolled at gold");
        concern.MapPost("/schools/{urn:int}/risk-flag/clear", async (int code, int urn, ReasonBody body, IMediator m, CancellationToken ct) =>
                await ThenAuditAsync(m, code, urn, new ClearRiskFlag.Command(code, urn, body.Reason), ct))
            .WithName("ClearRiskFlag").WithSummary("Clear the at-risk flag, with a reason");
        concern.MapPost("/schools/{urn:int}/concern/override", async (int code, int urn, ReasonBody body, IMediator m, CancellationToken ct) =>
                await ThenAuditAsync(m, code, urn, new OverrideConcernEnrolment.Command(code, urn, body.Reason), ct))
            .WithName("OverrideConcernEnrolment").WithSummary("Override automatic gold enrolment for a school, with a reason");
        concern.MapPost("/schools/{urn:int}/concern/lift-override", async (int code, int urn, IMediator m, CancellationToken ct) =>
                await ThenAuditAsync(m, code, urn, new LiftConcernOverride.Command(code, urn), ct))
            .WithName("LiftConcernOverride").WithSummary("Lift an override so the automatic rules apply again");
    }

    private static async Task<Ok<IReadOnlyList<AuditView>>> ThenAuditAsync(IMediator m, int code, int urn, ICommand<Unit> command, CancellationToken ct)
    {
        await m.Send(command, ct);
        return TypedResults.Ok(await m.Send(new GetAuditTrail.Query(code, urn, 1, 10), ct));
    }

    /// <summary>The CSV from a text/csv body or a multipart upload's first file; larger than 1 MB is refused.</summary>
    internal static async Task<string?> ReadCsvAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxCsvBytes) throw TooLarge();
        Stream source;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            var file = form.Files.FirstOrDefault();
            if (file is null) return null;
            if (file.Length > MaxCsvBytes) throw TooLarge();
            source = file.OpenReadStream();
        }
        else source = request.Body;
        await using (source)
        {
            using var reader = new StreamReader(source, System.Text.Encoding.UTF8);
            var buffer = new char[MaxCsvBytes + 1];
            var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
            if (read > MaxCsvBytes) throw TooLarge();
            return new string(buffer, 0, read);
        }

        static FluentValidation.ValidationException TooLarge() => new([new FluentValidation.Results.ValidationFailure("Csv", "Upload at most 1 MB at a time")]);
    }
}
