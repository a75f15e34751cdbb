using Marketplace.Application.Features.Practitioners;
using Marketplace.Application.Identity;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Provider.Practitioners;

[Authorize(Roles = Roles.Provider)]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<PractitionerSummary> Practitioners { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Practitioners = await mediator.Send(new ListPractitioners.Query(Guid.Parse(User.FindFirst(MarketplaceClaims.ProviderId)!.Value)), ct);
}
