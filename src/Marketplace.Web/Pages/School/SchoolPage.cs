using FluentValidation;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Domain.Common;
using Marketplace.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Pages.School;

/// <summary>Base for the signed-in buyer's school pages: finds the school's URN and turns command failures into form errors.</summary>
public abstract class SchoolPage(MarketplaceDbContext db) : PageModel
{
    public int Urn { get; private set; }

    protected async Task<int> ResolveUrnAsync(CancellationToken ct)
    {
        var schoolId = Guid.Parse(User.FindFirst(MarketplaceClaims.SchoolId)!.Value);
        Urn = await db.Schools.AsNoTracking().Where(s => s.Id == schoolId).Select(s => s.Urn).SingleAsync(ct);
        return Urn;
    }

    /// <summary>Runs a command; on success redirects with a message, on a validation or rule failure shows it on the form.</summary>
    protected async Task<IActionResult> TryAsync(Func<Task> action, string success, string redirect, Func<Task> reload,
        IReadOnlyDictionary<string, string>? rename = null)
    {
        try
        {
            await action();
            TempData["Success"] = success;
            return Redirect(redirect);
        }
        catch (ValidationException e)
        {
            ModelState.AddValidationErrors(e, prefix: "", rename);
        }
        catch (DomainRuleException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        await reload();
        return Page();
    }
}
