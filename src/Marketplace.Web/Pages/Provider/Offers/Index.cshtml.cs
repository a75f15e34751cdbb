using Marketplace.Application.Features.Offers;
using Marketplace.Application.Identity;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Provider.Offers;

[Authorize(Roles = Roles.Provider)]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<ManagedOffer> Offers { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var providerId = Guid.Parse(User.FindFirst(MarketplaceClaims.ProviderId)!.Value);
        Offers = await mediator.Send(new ListProviderOffers.Query(providerId), ct);
    }
}
