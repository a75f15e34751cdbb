using Marketplace.Application.Data;
using Marketplace.Application.Features.Offers;
using Marketplace.Application.Identity;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Pages.La.Approvals;

[Authorize(Roles = Roles.LaCommissioner)]
public sealed class IndexModel(IMediator mediator, MarketplaceDbContext db) : PageModel
{
    public IReadOnlyList<ManagedOffer> Queue { get; private set; } = [];
    public string LaName { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        var laId = Guid.Parse(User.FindFirst(MarketplaceClaims.LocalAuthorityId)!.Value);
        var la = await db.LocalAuthorities.AsNoTracking().Where(l => l.Id == laId).Select(l => new { l.Code, l.Name }).SingleAsync(ct);
        LaName = la.Name;
        Queue = await mediator.Send(new ListApprovalQueue.Query(la.Code), ct);
    }
}
