using Marketplace.Application.Features.Concern;
using Marketplace.Application.Features.Subscriptions;
using Mediator;

namespace Marketplace.Web.Api;

/// <summary>
/// What an LA's commissioners administer under /api/v1/las/{code}: tier packages, the subscription
/// policy, who pays for a school's subscription, the subscriptions overview, and the audit trail.
/// </summary>
internal static class LaAdministrationEndpoints
{
    public sealed record PolicyBody(string? PeriodBasisOverride, PayerInput? Concern, int? RenewalWindowDays, long? CreditPurchaseApprovalLimitPence);

    /// <summary>
    /// A tier's package. The fee, per-pupil rate and credits must be given; a field left out takes the default
    /// shown, but one sent as null is refused (a 400), never stored as 0 or false.
    /// </summary>
    public sealed record PackageBody(long? AnnualFeePence, long? PerPupilPence, int? CreditsIncluded, int DiscountBasisPoints = 0, int AdviserSessions = 0,
        bool NamedLinkAdviser = false, bool SystemLeaderAccess = false, bool PriorityBooking = false, int NoticeDays = 90, int MaxTermYears = 1,
        int PurchasedCreditValidityMonths = 12)
    {
        public PackageInput ToInput() => new(AnnualFeePence, PerPupilPence, CreditsIncluded, DiscountBasisPoints, AdviserSessions, NamedLinkAdviser,
            SystemLeaderAccess, PriorityBooking, NoticeDays, MaxTermYears, PurchasedCreditValidityMonths);
    }

    public static void MapLaAdministrationEndpoints(this RouteGroupBuilder api)
    {
        var la = api.MapGroup("/las/{code:int}").WithTags("Subscriptions").RequireAuthorization();
        la.MapGet("/packages", async (int code, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListPackages.Query(code), ct)))
            .WithName("ListPackages").WithSummary("The LA's bronze, silver and gold packages for every year");
        la.MapPut("/packages/{year:int}/{tier}", async (int code, int year, string tier, PackageBody body, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ChangePackage.Command(code, year, tier, body.ToInput()), ct)))
            .WithName("ChangePackage").WithSummary("Create or change a tier's package for a future year (amounts in pence; discount in basis points)");
        la.MapGet("/subscription-policy", async (int code, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetSubscriptionPolicy.Query(code), ct)))
            .WithName("GetSubscriptionPolicy").WithSummary("The LA's subscription policy: period basis override, who pays for concern enrolments, renewal window, and the credit purchase total (pence) above which a school's approver must confirm");
        la.MapPut("/subscription-policy", async (int code, PolicyBody body, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new SetSubscriptionPolicy.Command(code, body.PeriodBasisOverride, body.Concern ?? new PayerInput(null, null, null), body.RenewalWindowDays, body.CreditPurchaseApprovalLimitPence), ct)))
            .WithName("SetSubscriptionPolicy").WithSummary("Set the LA's subscription policy (payer: school, fund or split; share in basis points; creditPurchaseApprovalLimitPence: 0 to 1000000000, or null for no limit)");
        la.MapPut("/schools/{urn:int}/subscription/payer", async (int code, int urn, PayerInput body, IMediator m, CancellationToken ct) =>
                await SubscriptionEndpoints.ThenViewAsync(m, urn, new SetSubscriptionPayer.Command(code, urn, body), ct))
            .WithName("SetSubscriptionPayer").WithSummary("Set who pays for a school's subscription from now on: the school, a named fund, or a split");
        la.MapGet("/subscriptions", async (int code, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetLaSubscriptions.Query(code), ct)))
            .WithName("GetLaSubscriptions").WithSummary("Tier mix, buy-back rate, renewal status and each school's subscription and concern status");
    }

    /// <summary>The audit trail, mapped after the concern routes (whose changes it mostly records), where the OpenAPI document has always listed it.</summary>
    public static void MapAuditEndpoints(this RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/las/{code:int}").WithTags("Audit").RequireAuthorization();
        audit.MapGet("/audit", async (int code, int? urn, int? page, int? pageSize, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetAuditTrail.Query(code, urn, page ?? 1, pageSize ?? 50), ct)))
            .WithName("GetAuditTrail").WithSummary("The LA's audit trail (who, when, why), newest first, optionally for one school");
    }
}
