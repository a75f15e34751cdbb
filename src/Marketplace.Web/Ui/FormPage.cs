using FluentValidation;
using Marketplace.Domain.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Ui;

/// <summary>Base for pages whose forms send a command: success redirects with a message; a validation or rule failure shows on the form.</summary>
public abstract class FormPage : PageModel
{
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
        catch (Exception e) when (e is DomainRuleException or Application.Common.ForbiddenException or Application.Common.InsufficientCreditsException)
        {
            ModelState.AddModelError("", e.Message);
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException)
        {
            ModelState.AddModelError("", "Someone else changed this at the same moment. Check the page as it is now and try again.");
        }
        await reload();
        return Page();
    }
}
