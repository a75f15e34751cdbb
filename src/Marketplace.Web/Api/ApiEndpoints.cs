using System.Globalization;
using Marketplace.Application.Features.Bookings;
using Marketplace.Application.Features.Concern;
using Marketplace.Application.Features.Credits;
using Marketplace.Application.Features.Subscriptions;
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

internal static class ApiEndpointsLimits
{
    /// <summary>The largest CSV upload accepted, over the API or the page.</summary>
    public const int MaxCsvBytes = 1_000_000;
}

/// <summary>The JSON API under /api/v1. Endpoints only translate HTTP to commands and queries.</summary>
internal static class ApiEndpoints
{
    public static void MapMarketplaceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapOfferEndpoints();
        api.MapProviderEndpoints();
        api.MapSchoolEndpoints();
        api.MapCreditEndpoints();
        MapSchoolSubscriptions(api.MapGroup("/schools").RequireAuthorization());
        api.MapBookingEndpoints();
        api.MapPractitionerEndpoints();
        api.MapLocalAuthorityEndpoints();
        MapLaSubscriptions(api.MapGroup("/las").WithTags("Local authorities").RequireAuthorization());

        api.MapGet("/me", (ICurrentUser user, HttpContext http) => TypedResults.Ok(new Me(
                user.UserId!.Value,
                http.User.Identity!.Name!,
                Roles.All.Where(user.IsInRole).ToArray(),
                user.SchoolId, user.ProviderId, user.LocalAuthorityId)))
            .RequireAuthorization().WithTags("Account").WithSummary("Who the caller is signed in as, and what they are bound to");
    }

    public sealed record Me(Guid Id, string Email, string[] Roles, Guid? SchoolId, Guid? ProviderId, Guid? LocalAuthorityId);

    public sealed record SubscribeBody(string? Tier, int? TermYears);

    public sealed record TierBody(string? Tier, string? Reason);

    public sealed record ReasonBody(string? Reason);

    public sealed record OfstedBody(int? Urn, string? InspectionDate, int? Grade);

    public sealed record PolicyBody(string? PeriodBasisOverride, PayerInput? Concern, int? RenewalWindowDays);

    public sealed record RiskFlagBody(IReadOnlyList<string>? Reasons, string? Note);

    private static void MapSchoolSubscriptions(RouteGroupBuilder schools)
    {
        var sub = schools.MapGroup("/{urn:int}/subscription").WithTags("Subscriptions");
        sub.MapGet("/", async (int urn, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetSchoolSubscription.Query(urn), ct)))
            .WithSummary("The school's subscription this period and next, its renewal proposal, concern enrolment and the packages it can choose");
        sub.MapPost("/", async (int urn, SubscribeBody body, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new Subscribe.Command(urn, body.Tier, body.TermYears), ct);
                return TypedResults.Created($"/api/v1/schools/{urn}/subscription", await m.Send(new GetSchoolSubscription.Query(urn), ct));
            })
            .WithSummary("Subscribe now at a tier (fee and allowance prorated by days remaining); buyers who may commit spend");
        sub.MapPost("/upgrade", async (int urn, TierBody body, IMediator m, CancellationToken ct) =>
                await ChangeAsync(m, urn, new ChangeSubscription.Command(urn, ChangeSubscription.Action.Upgrade, body.Tier, body.Reason), ct))
            .WithSummary("Upgrade now: the fee and allowance difference are prorated by days remaining and the credits granted at once");
        sub.MapPost("/downgrade", async (int urn, TierBody body, IMediator m, CancellationToken ct) =>
                await ChangeAsync(m, urn, new ChangeSubscription.Command(urn, ChangeSubscription.Action.Downgrade, body.Tier, body.Reason), ct))
            .WithSummary("Downgrade from the next period");
        sub.MapPost("/notice", async (int urn, ReasonBody body, IMediator m, CancellationToken ct) =>
                await ChangeAsync(m, urn, new ChangeSubscription.Command(urn, ChangeSubscription.Action.Notice, null, body.Reason), ct))
            .WithSummary("Give notice under the package's notice terms");
        sub.MapPost("/renewal/confirm", async (int urn, TierBody body, IMediator m, CancellationToken ct) =>
                await ChangeAsync(m, urn, new AnswerRenewal.Command(urn, true, body.Tier, null), ct))
            .WithSummary("Confirm the renewal proposal, as proposed or at another tier");
        sub.MapPost("/renewal/decline", async (int urn, ReasonBody body, IMediator m, CancellationToken ct) =>
                await ChangeAsync(m, urn, new AnswerRenewal.Command(urn, false, null, body.Reason), ct))
            .WithSummary("Decline the renewal: the subscription ends at the period end");
    }

    private static async Task<Ok<SchoolSubscriptionView>> ChangeAsync<T>(IMediator m, int urn, ICommand<T> command, CancellationToken ct)
    {
        await m.Send(command, ct);
        return TypedResults.Ok(await m.Send(new GetSchoolSubscription.Query(urn), ct));
    }

    private static void MapLaSubscriptions(RouteGroupBuilder las)
    {
        las.MapGet("/{code:int}/packages", async (int code, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListPackages.Query(code), ct)))
            .WithTags("Subscriptions").WithSummary("The LA's bronze, silver and gold packages for every year");
        las.MapPut("/{code:int}/packages/{year:int}/{tier}", async (int code, int year, string tier, PackageInput body, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new SavePackage.Command(code, year, tier, body), ct)))
            .WithTags("Subscriptions").WithSummary("Create or change a tier's package for a future year (amounts in pence; discount in basis points)");
        las.MapGet("/{code:int}/subscription-policy", async (int code, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetSubscriptionPolicy.Query(code), ct)))
            .WithTags("Subscriptions").WithSummary("The LA's subscription policy: period basis override, who pays for concern enrolments, renewal window");
        las.MapPut("/{code:int}/subscription-policy", async (int code, PolicyBody body, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new SetSubscriptionPolicy.Command(code, body.PeriodBasisOverride, body.Concern ?? new PayerInput(null, null, null), body.RenewalWindowDays), ct)))
            .WithTags("Subscriptions").WithSummary("Set the LA's subscription policy (payer: school, fund or split; share in basis points)");
        las.MapPut("/{code:int}/schools/{urn:int}/subscription/payer", async (int code, int urn, PayerInput body, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new SetSubscriptionPayer.Command(code, urn, body), ct);
                return TypedResults.Ok(await m.Send(new GetSchoolSubscription.Query(urn), ct));
            })
            .WithTags("Subscriptions").WithSummary("Set who pays for a school's subscription from now on: the school, a named fund, or a split");
        las.MapGet("/{code:int}/subscriptions", async (int code, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetLaSubscriptions.Query(code), ct)))
            .WithTags("Subscriptions").WithSummary("Tier mix, buy-back rate, renewal status and each school's subscription and concern status");

        var concern = las.MapGroup("/{code:int}").WithTags("Schools causing concern");
        concern.MapGet("/concern", async (int code, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListSchoolsCausingConcern.Query(code), ct)))
            .WithSummary("Schools causing concern (Ofsted 3 or 4, or at risk) and their gold enrolment");
        concern.MapPost("/ofsted-outcomes", async (int code, OfstedBody body, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new RecordOfstedOutcome.Command(code, body.Urn, body.InspectionDate, body.Grade), ct);
                return TypedResults.Ok(await m.Send(new GetAuditTrail.Query(code, body.Urn, 1, 10), ct));
            })
            .WithSummary("Record one Ofsted outcome (grade 1-4); grade 3 or 4 enrols the school at gold. Returns the school's latest audit entries.");
        concern.MapPost("/ofsted-outcomes/import", async (int code, HttpRequest request, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ImportOfstedOutcomes.Command(code, await ReadCsvAsync(request, ct)), ct)))
            .Accepts<string>("text/csv", "multipart/form-data")
            .WithSummary("Import Ofsted outcomes from CSV (URN, inspection date, grade); bad rows are reported row by row and import nothing");
        concern.MapPost("/schools/{urn:int}/risk-flag", async (int code, int urn, RiskFlagBody body, IMediator m, CancellationToken ct) =>
                await ConcernAsync(m, new ConcernActions.Command(code, urn, ConcernActions.Kind.Flag, body.Reasons, body.Note), ct))
            .WithSummary("Flag a school at risk with reasons from the York risk criteria; it is enrolled at gold");
        concern.MapPost("/schools/{urn:int}/risk-flag/clear", async (int code, int urn, ReasonBody body, IMediator m, CancellationToken ct) =>
                await ConcernAsync(m, new ConcernActions.Command(code, urn, ConcernActions.Kind.ClearFlag, null, body.Reason), ct))
            .WithSummary("Clear the at-risk flag, with a reason");
        concern.MapPost("/schools/{urn:int}/concern/override", async (int code, int urn, ReasonBody body, IMediator m, CancellationToken ct) =>
                await ConcernAsync(m, new ConcernActions.Command(code, urn, ConcernActions.Kind.Override, null, body.Reason), ct))
            .WithSummary("Override automatic gold enrolment for a school, with a reason");
        concern.MapPost("/schools/{urn:int}/concern/lift-override", async (int code, int urn, IMediator m, CancellationToken ct) =>
                await ConcernAsync(m, new ConcernActions.Command(code, urn, ConcernActions.Kind.LiftOverride, null, null), ct))
            .WithSummary("Lift an override so the automatic rules apply again");
        concern.MapGet("/audit", async (int code, int? urn, int? page, int? pageSize, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetAuditTrail.Query(code, urn, page ?? 1, pageSize ?? 50), ct)))
            .WithTags("Audit").WithSummary("The LA's audit trail (who, when, why), newest first, optionally for one school");
    }

    private static async Task<Ok<IReadOnlyList<AuditView>>> ConcernAsync(IMediator m, ConcernActions.Command command, CancellationToken ct)
    {
        await m.Send(command, ct);
        return TypedResults.Ok(await m.Send(new GetAuditTrail.Query(command.Code, command.Urn, 1, 10), ct));
    }

    private const int MaxCsvBytes = ApiEndpointsLimits.MaxCsvBytes;

    /// <summary>The CSV from a text/csv body or a multipart upload's first file; larger than 1 MB is refused.</summary>
    private static async Task<string?> ReadCsvAsync(HttpRequest request, CancellationToken ct)
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
