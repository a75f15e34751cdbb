using Marketplace.Application.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Account;

public sealed class SignInModel(SignInManager<AppUser> signIn) : PageModel
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
        if (string.IsNullOrEmpty(Input.Password)) ModelState.AddModelError("Input.Password", "Enter your password");
        if (!ModelState.IsValid) return Page();

        var result = await signIn.PasswordSignInAsync(Input.Email!.Trim(), Input.Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
            return LocalRedirect(ReturnUrl is not null && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");

        // One message for a wrong email or password, so the form does not reveal which accounts exist.
        var message = result.IsLockedOut
            ? "Your account is locked after too many failed attempts. Try again in 15 minutes."
            : result.IsNotAllowed
                ? "This account cannot sign in here."
                : "Enter a correct email address and password";
        ModelState.AddModelError("Input.Email", message);
        Input.Password = null;
        return Page();
    }
}
