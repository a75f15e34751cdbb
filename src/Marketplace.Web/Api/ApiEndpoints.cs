using System.Globalization;
using Marketplace.Application.Features.Bookings;
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
        MapSchoolSubscriptions(api.MapGroup("/schools").RequireAuthorization());
        api.MapSubscriptionEndpoints();
        MapBookings(api);
        api.MapLaAdministrationEndpoints();
        api.MapConcernEndpoints();
        api.MapAuditEndpoints();
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

    public sealed record ReasonBody(string? Reason);

    public sealed record BookingBody(Guid? OfferId, int? Quantity, IReadOnlyList<DateOnly>? PreferredDates, string? PreferredTerm, Guid? PractitionerId,
        string? PurchaseOrderNumber, string? Notes, bool? PayShortfallInPounds = null);

    public sealed record ChangeBody(IReadOnlyList<DateOnly>? Dates, Guid? PractitionerId, string? Reason);

    public sealed record NoteBody(string? Note);

    public sealed record ResolveBody(int? ChargedQuantity, string? Note);

    public sealed record WorkingWeekBody(IReadOnlyList<string>? WorkingDays);

    public sealed record AbsenceBody(DateOnly? From, DateOnly? To, string? Reason);

    public sealed record BookingSettingsBody(bool? RequiresPurchaseOrder);

    public sealed record DeliverBody(IReadOnlyList<DateOnly>? Dates, int? Quantity, int? Minutes, string? Note);

    public sealed record ConfirmBody(Guid? PractitionerId, IReadOnlyList<DateOnly>? Dates);

    /// <summary>Statement dates arrive as text so a malformed one is a 400 with a field error, not a binding failure.</summary>
    private static DateOnly? QueryDate(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure(field, $"Enter {field} as a date, YYYY-MM-DD")]);
    }

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
            .WithSummary("Buy credits (recorded on account, to be invoiced). The school's tier discount applies and the package sets how long they last. Send an Idempotency-Key header: a retry with the same key and body returns the first purchase; the same key with a different body is refused with 422.");
    }

    private static void MapSchoolSubscriptions(RouteGroupBuilder schools)
    {
        schools.MapGet("/{urn:int}/credits/statement", async (int urn, string? from, string? to, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetStatement.Query(urn, QueryDate(from, "from"), QueryDate(to, "to")), ct)))
            .WithTags("Credits").WithSummary("Credits statement: opening balance, every movement with the grant it used, closing balance (default: this financial year to date)");
        schools.MapGet("/{urn:int}/credits/statement.csv", async (int urn, string? from, string? to, IMediator m, CancellationToken ct) =>
            {
                var statement = await m.Send(new GetStatement.Query(urn, QueryDate(from, "from"), QueryDate(to, "to")), ct);
                return TypedResults.File(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(GetStatement.ToCsv(statement))).ToArray(),
                    "text/csv; charset=utf-8", $"credits-statement-{urn}-{statement.From:yyyyMMdd}-{statement.To:yyyyMMdd}.csv");
            })
            .WithTags("Credits").WithSummary("The credits statement as a CSV download").Produces(200, contentType: "text/csv");

    }

    private static void MapBookings(RouteGroupBuilder api)
    {
        api.MapPost("/schools/{urn:int}/bookings", async (int urn, BookingBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                IMediator m, CancellationToken ct) =>
            {
                var id = await m.Send(new RequestBooking.Command(urn, body.OfferId, body.Quantity, body.PreferredDates, body.PreferredTerm, body.PractitionerId,
                    body.PurchaseOrderNumber, body.Notes, idempotencyKey, body.PayShortfallInPounds ?? false), ct);
                return TypedResults.Created($"/api/v1/bookings/{id}", await m.Send(new GetBooking.Query(id), ct));
            })
            .RequireAuthorization().WithTags("Bookings")
            .WithSummary("Book an offer at the school's tier price: included adviser sessions first (where the offer allows), then credits, held at once "
                + "(409 when short), then, with payShortfallInPounds and where the offer allows it, pounds. Send an Idempotency-Key header.");
        api.MapGet("/schools/{urn:int}/booking-settings", async (int urn, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new SchoolBookingSettingsFeature.Get(urn), ct)))
            .RequireAuthorization().WithTags("Bookings").WithSummary("The school's booking settings (purchase order required)");
        api.MapPut("/schools/{urn:int}/booking-settings", async (int urn, BookingSettingsBody body, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new SchoolBookingSettingsFeature.Set(urn, body.RequiresPurchaseOrder), ct)))
            .RequireAuthorization().WithTags("Bookings").WithSummary("Require a purchase-order number on every booking (a buyer allowed to commit spend)");
        api.MapGet("/las/{code:int}/disputes", async (int code, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListDisputes.Query(code), ct)))
            .RequireAuthorization().WithTags("Bookings").WithSummary("Disputed deliveries for the LA's commissioners to resolve, and those resolved in the last 90 days");
        var practitioners = api.MapGroup("/providers/{id:guid}/practitioners").WithTags("Practitioners").RequireAuthorization();
        practitioners.MapGet("", async (Guid id, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListPractitioners.Query(id), ct)))
            .WithSummary("The provider's practitioners with their working week");
        practitioners.MapGet("/{practitionerId:guid}/calendar", async (Guid id, Guid practitionerId, string? from, string? to, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetPractitionerCalendar.Query(id, practitionerId, QueryDate(from, "from"), QueryDate(to, "to")), ct)))
            .WithSummary("A practitioner's calendar day by day (default: this month): booked, away, not working, bank holiday or available");
        practitioners.MapPut("/{practitionerId:guid}/working-week", async (Guid id, Guid practitionerId, WorkingWeekBody body, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new SetWorkingWeek.Command(id, practitionerId, body.WorkingDays), ct);
                return TypedResults.Ok(await m.Send(new GetPractitionerCalendar.Query(id, practitionerId), ct));
            })
            .WithSummary("Set the weekdays the practitioner works");
        practitioners.MapPost("/{practitionerId:guid}/absences", async (Guid id, Guid practitionerId, AbsenceBody body, IMediator m, CancellationToken ct) =>
            {
                var absenceId = await m.Send(new AddAbsence.Command(id, practitionerId, body.From, body.To, body.Reason), ct);
                return TypedResults.Created($"/api/v1/providers/{id}/practitioners/{practitionerId}/absences/{absenceId}",
                    await m.Send(new GetPractitionerCalendar.Query(id, practitionerId, body.From, body.To), ct));
            })
            .WithSummary("Record days the practitioner is away (409 when it overlaps days already booked)");
        practitioners.MapDelete("/{practitionerId:guid}/absences/{absenceId:guid}", async (Guid id, Guid practitionerId, Guid absenceId, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new RemoveAbsence.Command(id, practitionerId, absenceId), ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Remove a recorded absence");
        api.MapGet("/schools/{urn:int}/bookings", async (int urn, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListSchoolBookings.Query(urn), ct)))
            .RequireAuthorization().WithTags("Bookings").WithSummary("The school's bookings, newest first");
        api.MapGet("/providers/{id:guid}/bookings", async (Guid id, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListProviderBookings.Query(id), ct)))
            .RequireAuthorization().WithTags("Bookings").WithSummary("The provider's bookings, newest first (the provider and admins)");
        var bookings = api.MapGroup("/bookings").WithTags("Bookings").RequireAuthorization();
        bookings.MapGet("/{id:guid}", async (Guid id, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetBooking.Query(id), ct)))
            .WithSummary("One booking with its history (the school, the provider, the school's LA, admins)");
        bookings.MapPost("/{id:guid}/confirm", async (Guid id, ConfirmBody body, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new ConfirmBooking.Command(id, body.PractitionerId, body.Dates), ct);
                return TypedResults.Ok(await m.Send(new GetBooking.Query(id), ct));
            })
            .WithSummary("The provider confirms with a practitioner and dates; a practitioner already booked on a date is refused (409)");
        bookings.MapPost("/{id:guid}/decline", async (Guid id, ReasonBody body, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new AnswerBooking.Command(id, AnswerBooking.Kind.Decline, body.Reason), ct);
                return TypedResults.Ok(await m.Send(new GetBooking.Query(id), ct));
            })
            .WithSummary("The provider declines with a reason; the held credits go back to the school");
        bookings.MapPost("/{id:guid}/cancel", async (Guid id, ReasonBody body, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new AnswerBooking.Command(id, AnswerBooking.Kind.Cancel, body.Reason), ct);
                return TypedResults.Ok(await m.Send(new GetBooking.Query(id), ct));
            })
            .WithSummary("Cancel: a request (the school, free); a confirmed booking by the school (by the offer's terms: free up to N working days before, then the late percentage, under 48 hours in full unless the provider waived it) or by the provider (free)");
        bookings.MapPost("/{id:guid}/deliver", async (Guid id, DeliverBody body, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new CompleteBooking.Command(id, CompleteBooking.Kind.Deliver, body.Dates, body.Quantity, body.Minutes, body.Note), ct);
                return TypedResults.Ok(await m.Send(new GetBooking.Query(id), ct));
            })
            .WithSummary("The provider records what was delivered (dates, quantity, minutes, a visit note); partial delivery allowed");
        bookings.MapPost("/{id:guid}/sign-off", async (Guid id, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new CompleteBooking.Command(id, CompleteBooking.Kind.SignOff), ct);
                return TypedResults.Ok(await m.Send(new GetBooking.Query(id), ct));
            })
            .WithSummary("The school signs off: the delivered credits go to the provider, the rest back to the school");
        bookings.MapPost("/{id:guid}/dispute", async (Guid id, ReasonBody body, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new CompleteBooking.Command(id, CompleteBooking.Kind.Dispute, Note: body.Reason), ct);
                return TypedResults.Ok(await m.Send(new GetBooking.Query(id), ct));
            })
            .WithSummary("The school disputes the delivery with a reason; the credits stay held until the LA's commissioners resolve it");
        bookings.MapPost("/{id:guid}/resolve", async (Guid id, ResolveBody body, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new ResolveDispute.Command(id, body.ChargedQuantity, body.Note), ct);
                return TypedResults.Ok(await m.Send(new GetBooking.Query(id), ct));
            })
            .WithSummary("The school's LA's commissioners resolve a dispute: charge 0 to the delivered quantity, the rest goes back to the school");
        bookings.MapPost("/{id:guid}/changes", async (Guid id, ChangeBody body, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new ProposeBookingChange.Command(id, body.Dates, body.PractitionerId, body.Reason), ct);
                return TypedResults.Ok(await m.Send(new GetBooking.Query(id), ct));
            })
            .WithSummary("Either side proposes new dates for a confirmed booking (the provider may name another practitioner); one proposal at a time");
        foreach (var (verb, kind, summary) in new[]
                 {
                     ("accept", AnswerBookingChange.Kind.Accept, "The other side accepts a proposed change: the booking moves (409 when the practitioner is not free)"),
                     ("reject", AnswerBookingChange.Kind.Reject, "The other side rejects a proposed change: the booking stays as it was"),
                     ("withdraw", AnswerBookingChange.Kind.Withdraw, "The side that proposed a change withdraws it"),
                 })
        {
            bookings.MapPost($"/{{id:guid}}/changes/{{changeId:guid}}/{verb}", async (Guid id, Guid changeId, NoteBody? body, IMediator m, CancellationToken ct) =>
                {
                    await m.Send(new AnswerBookingChange.Command(id, changeId, kind, body?.Note), ct);
                    return TypedResults.Ok(await m.Send(new GetBooking.Query(id), ct));
                })
                .WithName($"BookingChange{kind}").WithSummary(summary);
        }
        bookings.MapPost("/{id:guid}/waive-48-hour-rule", async (Guid id, NoteBody? body, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new WaiveLateRule.Command(id, body?.Note), ct);
                return TypedResults.Ok(await m.Send(new GetBooking.Query(id), ct));
            })
            .WithSummary("The provider waives the 48-hour rule: a late cancellation is charged at the offer's late rate, not as delivered");
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
