using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Web.Ui;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Pages.La;

/// <summary>Base for the signed-in commissioner's LA pages.</summary>
public abstract class LaPage(MarketplaceDbContext db) : FormPage
{
    public int Code { get; private set; }
    public string LaName { get; private set; } = "";

    protected async Task<int> ResolveLaAsync(CancellationToken ct)
    {
        var laId = Guid.Parse(User.FindFirst(MarketplaceClaims.LocalAuthorityId)!.Value);
        var la = await db.LocalAuthorities.AsNoTracking().Where(l => l.Id == laId).Select(l => new { l.Code, l.Name }).SingleAsync(ct);
        (Code, LaName) = (la.Code, la.Name);
        return Code;
    }
}
