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
        // Re-executed from a status code or an exception: the response already carries the status to show
        // (an exception the input caused is a 400, 403, 404 or 409, not a 500).
        var status = HttpContext.Response.StatusCode;
        Code = status >= 400 ? status : code ?? 500;
        if (status < 400) HttpContext.Response.StatusCode = Code is >= 400 and <= 599 ? Code : 500;
    }
}
