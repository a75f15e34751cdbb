using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Web.Ui;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Pages.School;

/// <summary>Base for the signed-in buyer's school pages: finds the school's URN and turns command failures into form errors.</summary>
public abstract class SchoolPage(MarketplaceDbContext db) : FormPage
{
    public int Urn { get; private set; }

    protected async Task<int> ResolveUrnAsync(CancellationToken ct)
    {
        var schoolId = Guid.Parse(User.FindFirst(MarketplaceClaims.SchoolId)!.Value);
        Urn = await db.Schools.AsNoTracking().Where(s => s.Id == schoolId).Select(s => s.Urn).SingleAsync(ct);
        return Urn;
    }
}
