using Marketplace.Application.Identity;
using Marketplace.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Account;

/// <summary>Sign-out is a POST (with anti-forgery), so a link on another site cannot sign people out.</summary>
public sealed class SignOutModel(SignInManager<AppUser> signIn, SessionStore sessions) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Account/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        // End the session itself, not just the cookie: a copy of the cookie stops working too.
        if (SessionStore.SessionOf(User) is { } session) await sessions.EndAsync(session, SessionEnd.SignedOut, HttpContext.RequestAborted);
        await signIn.SignOutAsync();
        return LocalRedirect("/");
    }
}
