using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages;

[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; }

    public void OnGet(int? code) => Show(code);
    public void OnPost(int? code) => Show(code);

    private void Show(int? code)
    {
        Code = code ?? 500;
        // Re-executed from a status code or an exception: keep the original status for the browser.
        if (HttpContext.Response.StatusCode < 400) HttpContext.Response.StatusCode = Code is >= 400 and <= 599 ? Code : 500;
    }
}
