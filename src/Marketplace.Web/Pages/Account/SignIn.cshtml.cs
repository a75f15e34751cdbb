using System.Security.Claims;
using Marketplace.Application.Identity;
using Marketplace.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Account;

public sealed class SignInModel(SignInManager<AppUser> signIn, SignInGate gate, SessionStore sessions) : PageModel
{
    [BindProperty] public InputModel Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public sealed class InputModel
    {
        public string? Email { get; set; }
        public string? Password { get; set; }
    }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Input.Email)) ModelState.AddModelError("Input.Email", "Enter your email address");
        else if (Input.Email.Length > 256) ModelState.AddModelError("Input.Email", "Enter an email address of 256 characters or fewer");
        if (string.IsNullOrEmpty(Input.Password)) ModelState.AddModelError("Input.Password", "Enter your password");
        else if (Input.Password.Length > 1024) ModelState.AddModelError("Input.Password", "Enter a password of 1,024 characters or fewer");
        if (!ModelState.IsValid) return Page();

        var client = HttpContext.Connection.RemoteIpAddress;
        var outcome = await gate.CheckAsync(Input.Email!, Input.Password!, client, HttpContext.RequestAborted);
        if (outcome is SignInGate.Succeeded ok)
        {
            var session = await sessions.StartBrowserAsync(ok.User, SignInGate.ClientKey(client), HttpContext.RequestAborted);
            await signIn.SignInWithClaimsAsync(ok.User, isPersistent: false, [new Claim(SessionStore.SessionClaim, session.ToString("N"))]);
            return LocalRedirect(ReturnUrl is not null && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }

        // One message for a wrong email or password, so the form does not reveal which accounts exist.
        var message = outcome switch
        {
            SignInGate.LockedOut => "There have been too many failed sign-ins for this email address from your connection. Try again in 15 minutes.",
            SignInGate.NotAllowed => "This account cannot sign in here. Ask your local authority's traded services team.",
            _ => "Enter a correct email address and password",
        };
        ModelState.AddModelError("Input.Email", message);
        Input.Password = null;
        return Page();
    }
}
