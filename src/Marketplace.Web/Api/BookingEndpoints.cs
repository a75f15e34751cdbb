using Marketplace.Application.Features.Bookings;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Api;

/// <summary>
/// Bookings: a school's requests and settings (/api/v1/schools/{urn}/bookings, /booking-settings), a
/// provider's bookings (/api/v1/providers/{id}/bookings) and one booking's lifecycle, changes and
/// dispute resolution (/api/v1/bookings/{id}).
/// </summary>
internal static class BookingEndpoints
{
    public sealed record BookingBody(Guid? OfferId, int? Quantity, IReadOnlyList<DateOnly>? PreferredDates, string? PreferredTerm, Guid? PractitionerId,
        string? PurchaseOrderNumber, string? Notes, bool? PayShortfallInPounds = null);

    public sealed record ChangeBody(IReadOnlyList<DateOnly>? Dates, Guid? PractitionerId, string? Reason);

    public sealed record NoteBody(string? Note);

    public sealed record ResolveBody(int? ChargedQuantity, string? Note);

    public sealed record BookingSettingsBody(bool? RequiresPurchaseOrder);

    public sealed record DeliverBody(IReadOnlyList<DateOnly>? Dates, int? Quantity, int? Minutes, string? Note);

    public sealed record ConfirmBody(Guid? PractitionerId, IReadOnlyList<DateOnly>? Dates);

    public static void MapBookingEndpoints(this RouteGroupBuilder api)
    {
        MapSchoolBookings(api.MapGroup("/schools/{urn:int}").WithTags("Bookings").RequireAuthorization());
        api.MapGroup("/providers/{id:guid}/bookings").WithTags("Bookings").RequireAuthorization()
            .MapGet("", async (Guid id, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListProviderBookings.Query(id), ct)))
            .WithName("ListProviderBookings").WithSummary("The provider's bookings, newest first (the provider and admins)");
        MapBooking(api.MapGroup("/bookings").WithTags("Bookings").RequireAuthorization());
    }

    private static void MapSchoolBookings(RouteGroupBuilder school)
    {
        school.MapPost("/bookings", async (int urn, BookingBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                IMediator m, CancellationToken ct) =>
            {
                var id = await m.Send(new RequestBooking.Command(urn, body.OfferId, body.Quantity, body.PreferredDates, body.PreferredTerm, body.PractitionerId,
                    body.PurchaseOrderNumber, body.Notes, idempotencyKey, body.PayShortfallInPounds ?? false), ct);
                return TypedResults.Created($"/api/v1/bookings/{id}", await m.Send(new GetBooking.Query(id), ct));
            })
            .WithName("RequestBooking").WithSummary("Book an offer at the school's tier price: included adviser sessions first (where the offer allows), then credits, held at once "
                + "(409 when short), then, with payShortfallInPounds and where the offer allows it, pounds. Send an Idempotency-Key header.");
        school.MapGet("/booking-settings", async (int urn, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetBookingSettings.Query(urn), ct)))
            .WithName("GetBookingSettings").WithSummary("The school's booking settings (purchase order required)");
        school.MapPut("/booking-settings", async (int urn, BookingSettingsBody body, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new SetBookingSettings.Command(urn, body.RequiresPurchaseOrder), ct)))
            .WithName("SetBookingSettings").WithSummary("Require a purchase-order number on every booking (a buyer allowed to commit spend)");
        school.MapGet("/bookings", async (int urn, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListSchoolBookings.Query(urn), ct)))
            .WithName("ListSchoolBookings").WithSummary("The school's bookings, newest first");
    }

    private static void MapBooking(RouteGroupBuilder bookings)
    {
        bookings.MapGet("/{id:guid}", async (Guid id, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetBooking.Query(id), ct)))
            .WithName("GetBooking").WithSummary("One booking with its history (the school, the provider, the school's LA, admins)");
        bookings.MapPost("/{id:guid}/confirm", (Guid id, ConfirmBody body, IMediator m, CancellationToken ct) =>
                Send(m, new ConfirmBooking.Command(id, body.PractitionerId, body.Dates), id, ct))
            .WithName("ConfirmBooking").WithSummary("The provider confirms with a practitioner and dates; a practitioner already booked on a date is refused (409)");
        bookings.MapPost("/{id:guid}/decline", (Guid id, ReasonBody body, IMediator m, CancellationToken ct) =>
                Send(m, new DeclineBooking.Command(id, body.Reason), id, ct))
            .WithName("DeclineBooking").WithSummary("The provider declines with a reason; the held credits go back to the school");
        bookings.MapGet("/{id:guid}/cancellation-quote", async (Guid id, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new QuoteCancellation.Query(id), ct)))
            .WithName("QuoteCancellation").WithSummary("What cancelling now would charge and give back, changing nothing: sessions, credits and pounds by the offer's terms (the figures the cancellation applies)");
        bookings.MapPost("/{id:guid}/cancel", (Guid id, ReasonBody body, IMediator m, CancellationToken ct) =>
                Send(m, new CancelBooking.Command(id, body.Reason), id, ct))
            .WithName("CancelBooking").WithSummary("Cancel: a request (the school, free); a confirmed booking by the school (by the offer's terms: free up to N working days before, then the late percentage, under 48 hours in full unless the provider waived it) or by the provider (free)");
        bookings.MapPost("/{id:guid}/deliver", (Guid id, DeliverBody body, IMediator m, CancellationToken ct) =>
                Send(m, new RecordDelivery.Command(id, body.Dates, body.Quantity, body.Minutes, body.Note), id, ct))
            .WithName("RecordDelivery").WithSummary("The provider records what was delivered (dates, quantity, minutes, a visit note); partial delivery allowed");
        bookings.MapPost("/{id:guid}/sign-off", (Guid id, IMediator m, CancellationToken ct) =>
                Send(m, new SignOffBooking.Command(id), id, ct))
            .WithName("SignOffBooking").WithSummary("The school signs off: the delivered credits go to the provider, the rest back to the school");
        bookings.MapPost("/{id:guid}/dispute", (Guid id, ReasonBody body, IMediator m, CancellationToken ct) =>
                Send(m, new DisputeBooking.Command(id, body.Reason), id, ct))
            .WithName("DisputeBooking").WithSummary("The school disputes the delivery with a reason; the credits stay held until the LA's commissioners resolve it");
        bookings.MapPost("/{id:guid}/resolve", (Guid id, ResolveBody body, IMediator m, CancellationToken ct) =>
                Send(m, new ResolveDispute.Command(id, body.ChargedQuantity, body.Note), id, ct))
            .WithName("ResolveDispute").WithSummary("The school's LA's commissioners resolve a dispute: charge 0 to the delivered quantity, the rest goes back to the school");
        bookings.MapPost("/{id:guid}/changes", (Guid id, ChangeBody body, IMediator m, CancellationToken ct) =>
                Send(m, new ProposeBookingChange.Command(id, body.Dates, body.PractitionerId, body.Reason), id, ct))
            .WithName("ProposeBookingChange").WithSummary("Either side proposes new dates for a confirmed booking (the provider may name another practitioner); one proposal at a time");
        bookings.MapPost("/{id:guid}/changes/{changeId:guid}/accept", (Guid id, Guid changeId, NoteBody? body, IMediator m, CancellationToken ct) =>
                Send(m, new AcceptBookingChange.Command(id, changeId, body?.Note), id, ct))
            .WithName("BookingChangeAccept").WithSummary("The other side accepts a proposed change: the booking moves (409 when the practitioner is not free)");
        bookings.MapPost("/{id:guid}/changes/{changeId:guid}/reject", (Guid id, Guid changeId, NoteBody? body, IMediator m, CancellationToken ct) =>
                Send(m, new RejectBookingChange.Command(id, changeId, body?.Note), id, ct))
            .WithName("BookingChangeReject").WithSummary("The other side rejects a proposed change: the booking stays as it was");
        bookings.MapPost("/{id:guid}/changes/{changeId:guid}/withdraw", (Guid id, Guid changeId, NoteBody? body, IMediator m, CancellationToken ct) =>
                Send(m, new WithdrawBookingChange.Command(id, changeId, body?.Note), id, ct))
            .WithName("BookingChangeWithdraw").WithSummary("The side that proposed a change withdraws it");
        bookings.MapPost("/{id:guid}/waive-48-hour-rule", (Guid id, NoteBody? body, IMediator m, CancellationToken ct) =>
                Send(m, new WaiveFortyEightHourRule.Command(id, body?.Note), id, ct))
            .WithName("WaiveFortyEightHourRule").WithSummary("The provider waives the 48-hour rule: a late cancellation is charged at the offer's late rate, not as delivered");
    }

    /// <summary>Sends a booking's command and answers with the booking as it now is.</summary>
    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<BookingView>> Send<T>(IMediator m, ICommand<T> command, Guid id, CancellationToken ct)
    {
        await m.Send(command, ct);
        return TypedResults.Ok(await m.Send(new GetBooking.Query(id), ct));
    }
}
