using FluentValidation;
using Marketplace.Application.Features.Offers;
using Marketplace.Application.Identity;
using Marketplace.Domain.Common;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Pages.La.Approvals;

[Authorize(Roles = Roles.LaCommissioner)]
public sealed class ReviewModel(IMediator mediator) : PageModel
{
    public OfferDetail Offer { get; private set; } = null!;
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public uint? RowVersion { get; set; }

    public async Task OnGetAsync(Guid id, CancellationToken ct)
    {
        Offer = await mediator.Send(new GetOffer.Query(id), ct);
        RowVersion = Offer.RowVersion;
    }

    public Task<IActionResult> OnPostApproveAsync(Guid id, CancellationToken ct) =>
        Decide(id, new ApproveOffer.Command(id, RowVersion), "approved and is now in the catalogue", ct);

    public Task<IActionResult> OnPostRejectAsync(Guid id, CancellationToken ct) =>
        Decide(id, new RejectOffer.Command(id, Reason, RowVersion), "sent back to the provider", ct);

    private async Task<IActionResult> Decide(Guid id, ICommand<Guid> command, string outcome, CancellationToken ct)
    {
        try
        {
            await mediator.Send(command, ct);
            var title = (await mediator.Send(new GetOffer.Query(id), ct)).Title;
            TempData["Success"] = $"‘{title}’ was {outcome}";
            return Redirect("/la/approvals");
        }
        catch (ValidationException e)
        {
            ModelState.AddValidationErrors(e, prefix: "");
        }
        catch (Exception e) when (e is DomainRuleException or DbUpdateConcurrencyException)
        {
            ModelState.AddModelError("", e is DbUpdateConcurrencyException ? "Someone changed this offer since you opened it. Reload the page." : e.Message);
        }
        var reason = Reason;
        await OnGetAsync(id, ct);
        Reason = reason;
        return Page();
    }
}
