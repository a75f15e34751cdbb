using Marketplace.Application.Features.Terms;
using Mediator;

namespace Marketplace.Web.Api;

/// <summary>
/// An LA's school terms and INSET days under /api/v1/las/{code}/terms, by academic year (named by the
/// year it starts in: 2026 is 2026/27): read a year, replace a year, import a CSV of several years.
/// Commissioners of the LA only.
/// </summary>
internal static class TermEndpoints
{
    public sealed record TermBody(string? Name, DateOnly? StartsOn, DateOnly? EndsOn);

    public sealed record TermsBody(IReadOnlyList<TermBody>? Terms, IReadOnlyList<DateOnly>? InsetDays);

    public static void MapTermEndpoints(this RouteGroupBuilder api)
    {
        var terms = api.MapGroup("/las/{code:int}/terms").WithTags("School terms").RequireAuthorization();
        terms.MapGet("/{year:int}", async (int code, int year, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetSchoolTerms.Query(code, year), ct)))
            .WithName("GetSchoolTerms").WithSummary("The LA's terms and INSET days for the academic year starting in {year} (2026 for 2026/27), and the years recorded");
        terms.MapPut("/{year:int}", async (int code, int year, TermsBody body, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new SetSchoolTerms.Command(code, year,
                    body.Terms?.Select(t => new TermRules.TermInput(t?.Name, t?.StartsOn, t?.EndsOn)).ToList(), body.InsetDays), ct)))
            .WithName("SetSchoolTerms").WithSummary("Replace the academic year's terms and INSET days (bookings outside them are refused unless the offer allows school holidays)");
        terms.MapPost("/import", async (int code, HttpRequest request, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ImportSchoolTerms.Command(code, await ConcernEndpoints.ReadCsvAsync(request, ct)), ct)))
            .Accepts<string>("text/csv", "multipart/form-data")
            .WithName("ImportSchoolTerms").WithSummary("Import terms and INSET days from CSV (academic_year, term, starts_on, ends_on; term INSET for an INSET day); each year is imported whole or not at all, bad rows reported row by row");
    }
}
