using Marketplace.Application.Features.Subscriptions;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Api;

/// <summary>A school's own subscription under /api/v1/schools/{urn}/subscription: subscribe, change tier, give notice, answer the renewal.</summary>
internal static class SubscriptionEndpoints
{
    public sealed record SubscribeBody(string? Tier, int? TermYears);

    public sealed record TierBody(string? Tier, string? Reason);

    public static void MapSubscriptionEndpoints(this RouteGroupBuilder api)
    {
        var subscription = api.MapGroup("/schools/{urn:int}/subscription").WithTags("Subscriptions").RequireAuthorization();
        subscription.MapGet("/", async (int urn, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetSchoolSubscription.Query(urn), ct)))
            .WithName("GetSchoolSubscription").WithSummary("The school's subscription this period and next, its renewal proposal, concern enrolment and the packages it can choose");
        subscription.MapPost("/", async (int urn, SubscribeBody body, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new Subscribe.Command(urn, body.Tier, body.TermYears), ct);
                return TypedResults.Created($"/api/v1/schools/{urn}/subscription", await m.Send(new GetSchoolSubscription.Query(urn), ct));
            })
            .WithName("Subscribe").WithSummary("Subscribe now at a tier (fee and allowance prorated by days remaining); buyers who may commit spend");
        subscription.MapGet("/upgrade-quote", async (int urn, string? tier, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new QuoteUpgrade.Query(urn, tier), ct)))
            .WithName("QuoteUpgrade").WithSummary("What upgrading to a tier today would cost, changing nothing: the prorated fee difference, the school's share and the extra credits (the figures the upgrade applies); buyers who may commit spend");
        subscription.MapPost("/upgrade", async (int urn, TierBody body, IMediator m, CancellationToken ct) =>
                await ThenViewAsync(m, urn, new UpgradeSubscription.Command(urn, body.Tier, body.Reason), ct))
            .WithName("UpgradeSubscription").WithSummary("Upgrade now: the fee and allowance difference are prorated by days remaining and the credits granted at once");
        subscription.MapPost("/downgrade", async (int urn, TierBody body, IMediator m, CancellationToken ct) =>
                await ThenViewAsync(m, urn, new ScheduleDowngrade.Command(urn, body.Tier, body.Reason), ct))
            .WithName("ScheduleDowngrade").WithSummary("Downgrade from the next period");
        subscription.MapPost("/notice", async (int urn, ReasonBody body, IMediator m, CancellationToken ct) =>
                await ThenViewAsync(m, urn, new GiveNotice.Command(urn, body.Reason), ct))
            .WithName("GiveNotice").WithSummary("Give notice under the package's notice terms");
        subscription.MapPost("/renewal/confirm", async (int urn, TierBody body, IMediator m, CancellationToken ct) =>
                await ThenViewAsync(m, urn, new ConfirmRenewal.Command(urn, body.Tier), ct))
            .WithName("ConfirmRenewal").WithSummary("Confirm the renewal proposal, as proposed or at another tier");
        subscription.MapPost("/renewal/decline", async (int urn, ReasonBody body, IMediator m, CancellationToken ct) =>
                await ThenViewAsync(m, urn, new DeclineRenewal.Command(urn, body.Reason), ct))
            .WithName("DeclineRenewal").WithSummary("Decline the renewal: the subscription ends at the period end");
    }

    /// <summary>Sends the command, then answers with the school's subscription as it now stands.</summary>
    internal static async Task<Ok<SchoolSubscriptionView>> ThenViewAsync<T>(IMediator m, int urn, ICommand<T> command, CancellationToken ct)
    {
        await m.Send(command, ct);
        return TypedResults.Ok(await m.Send(new GetSchoolSubscription.Query(urn), ct));
    }
}
