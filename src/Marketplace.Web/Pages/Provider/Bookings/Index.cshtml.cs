using Marketplace.Application.Features.Bookings;
using Marketplace.Application.Identity;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Provider.Bookings;

[Authorize(Roles = Roles.Provider)]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<ProviderBookingSummary> Bookings { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Bookings = await mediator.Send(new ListProviderBookings.Query(Guid.Parse(User.FindFirst(MarketplaceClaims.ProviderId)!.Value)), ct);
}
