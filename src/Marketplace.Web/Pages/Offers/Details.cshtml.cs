using Marketplace.Application.Features.Offers;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Offers;

public sealed class DetailsModel(IMediator mediator) : PageModel
{
    public OfferDetail Offer { get; private set; } = null!;

    public async Task OnGetAsync(Guid id, CancellationToken ct) =>
        Offer = await mediator.Send(new GetOffer.Query(id, PreferPublished: true), ct);
}
