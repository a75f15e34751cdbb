using FluentValidation;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Domain.Common;
using Marketplace.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Pages.La;

/// <summary>Base for the signed-in commissioner's LA pages.</summary>
public abstract class LaPage(MarketplaceDbContext db) : PageModel
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
