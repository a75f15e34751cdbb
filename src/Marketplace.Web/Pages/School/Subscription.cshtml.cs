using Marketplace.Application.Data;
using Marketplace.Application.Features.Subscriptions;
using Marketplace.Application.Identity;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.School;

[Authorize(Roles = Roles.SchoolBuyer)]
public sealed class SubscriptionModel(IMediator mediator, MarketplaceDbContext db) : SchoolPage(db)
{
    public SchoolSubscriptionView View { get; private set; } = null!;
    [BindProperty] public string? Tier { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    private async Task LoadAsync(CancellationToken ct) => View = await mediator.Send(new GetSchoolSubscription.Query(await ResolveUrnAsync(ct)), ct);

    public async Task<IActionResult> OnPostSubscribeAsync(CancellationToken ct) =>
        await TryAsync(async () => await mediator.Send(new Subscribe.Command(await ResolveUrnAsync(ct), Tier, 1), ct),
            $"Your school now subscribes at {Tier}. Its allowance is in your credits.", "/school/subscription", () => LoadAsync(ct), Fields);

    public async Task<IActionResult> OnPostDeclineAsync(CancellationToken ct) =>
        await TryAsync(async () => await mediator.Send(new DeclineRenewal.Command(await ResolveUrnAsync(ct), Reason), ct),
            "You have declined the renewal. Your subscription ends at the end of this period.", "/school/subscription", () => LoadAsync(ct), Fields);

    private static readonly Dictionary<string, string> Fields = new() { ["tier"] = "Tier", ["reason"] = "Reason" };
}
