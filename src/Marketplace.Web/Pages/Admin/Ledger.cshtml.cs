using Marketplace.Application.Features.Credits;
using Marketplace.Application.Identity;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin;

/// <summary>The last ledger invariants check, and a button to run one now.</summary>
[Authorize(Roles = Roles.PlatformAdmin)]
public sealed class LedgerModel(IMediator mediator) : PageModel
{
    public GetLastLedgerCheck.Result? Last { get; private set; }

    public string TriggerName => Last?.Trigger == CheckLedgerInvariants.Nightly ? "nightly check" : "checked on demand";

    public async Task OnGetAsync(CancellationToken ct) => Last = await mediator.Send(new GetLastLedgerCheck.Query(), ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await mediator.Send(new CheckLedgerInvariants.Command(CheckLedgerInvariants.OnDemand), ct);
        return RedirectToPage();
    }
}
