using Marketplace.Application.Features.Home;
using Marketplace.Application.Identity;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages;

/// <summary>The home page: the catalogue's front door for visitors, and each signed-in role's work waiting for it.</summary>
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public GetSchoolBuyerWork.Result? School { get; private set; }
    public GetProviderWork.Result? Provider { get; private set; }
    public GetCommissionerWork.Result? Commissioner { get; private set; }
    public GetAdminWork.Result? Admin { get; private set; }

    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (!SignedIn) return;
        if (User.IsInRole(Roles.SchoolBuyer) && User.HasClaim(c => c.Type == MarketplaceClaims.SchoolId))
            School = await mediator.Send(new GetSchoolBuyerWork.Query(), ct);
        if (User.IsInRole(Roles.Provider) && User.HasClaim(c => c.Type == MarketplaceClaims.ProviderId))
            Provider = await mediator.Send(new GetProviderWork.Query(), ct);
        if (User.IsInRole(Roles.LaCommissioner) && User.HasClaim(c => c.Type == MarketplaceClaims.LocalAuthorityId))
            Commissioner = await mediator.Send(new GetCommissionerWork.Query(), ct);
        if (User.IsInRole(Roles.PlatformAdmin))
            Admin = await mediator.Send(new GetAdminWork.Query(), ct);
    }
}
