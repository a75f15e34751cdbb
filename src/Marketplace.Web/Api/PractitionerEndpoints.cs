using Marketplace.Application.Features.Practitioners;
using Mediator;

namespace Marketplace.Web.Api;

/// <summary>A provider's practitioners, their working weeks, absences and calendars: /api/v1/providers/{id}/practitioners.</summary>
internal static class PractitionerEndpoints
{
    public sealed record WorkingWeekBody(IReadOnlyList<string>? WorkingDays);

    public sealed record AbsenceBody(DateOnly? From, DateOnly? To, string? Reason);

    public static void MapPractitionerEndpoints(this RouteGroupBuilder api)
    {
        var practitioners = api.MapGroup("/providers/{id:guid}/practitioners").WithTags("Practitioners").RequireAuthorization();
        practitioners.MapGet("", async (Guid id, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListPractitioners.Query(id), ct)))
            .WithName("ListPractitioners").WithSummary("The provider's practitioners with their working week");
        practitioners.MapGet("/{practitionerId:guid}/calendar", async (Guid id, Guid practitionerId, string? from, string? to, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetPractitionerCalendar.Query(id, practitionerId, QueryDates.Parse(from, "from"), QueryDates.Parse(to, "to")), ct)))
            .WithName("GetPractitionerCalendar").WithSummary("A practitioner's calendar day by day (default: this month): booked, away, not working, bank holiday or available");
        practitioners.MapPut("/{practitionerId:guid}/working-week", async (Guid id, Guid practitionerId, WorkingWeekBody body, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new SetWorkingWeek.Command(id, practitionerId, body.WorkingDays), ct);
                return TypedResults.Ok(await m.Send(new GetPractitionerCalendar.Query(id, practitionerId), ct));
            })
            .WithName("SetWorkingWeek").WithSummary("Set the weekdays the practitioner works");
        practitioners.MapPost("/{practitionerId:guid}/absences", async (Guid id, Guid practitionerId, AbsenceBody body, IMediator m, CancellationToken ct) =>
            {
                var absenceId = await m.Send(new RecordAbsence.Command(id, practitionerId, body.From, body.To, body.Reason), ct);
                return TypedResults.Created($"/api/v1/providers/{id}/practitioners/{practitionerId}/absences/{absenceId}",
                    await m.Send(new GetPractitionerCalendar.Query(id, practitionerId, body.From, body.To), ct));
            })
            .WithName("RecordAbsence").WithSummary("Record days the practitioner is away (409 when it overlaps days already booked)");
        practitioners.MapDelete("/{practitionerId:guid}/absences/{absenceId:guid}", async (Guid id, Guid practitionerId, Guid absenceId, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new RemoveAbsence.Command(id, practitionerId, absenceId), ct);
                return TypedResults.NoContent();
            })
            .WithName("RemoveAbsence").WithSummary("Remove a recorded absence");
    }
}
