using Marketplace.Application.Data;
using Marketplace.Application.Features.Subscriptions;
using Marketplace.Application.Identity;
using Mediator;
using Microsoft.AspNetCore.Authorization;

namespace Marketplace.Web.Pages.La;

[Authorize(Roles = Roles.LaCommissioner)]
public sealed class SubscriptionsModel(IMediator mediator, MarketplaceDbContext db) : LaPage(db)
{
    public LaSubscriptionOverview Overview { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) =>
        Overview = await mediator.Send(new GetLaSubscriptions.Query(await ResolveLaAsync(ct)), ct);
}
