using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Features.Bookings;
using Marketplace.Application.Identity;
using Marketplace.Domain.Common;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.La.DisputeChecks;

/// <summary>
/// Check a dispute's resolution: what the school is charged and gets back for the charged quantity, from
/// <see cref="QuoteDisputeResolution"/> (the settlement <see cref="ResolveDispute"/> applies). Showing the page changes nothing.
/// </summary>
[Authorize(Roles = Roles.LaCommissioner)]
public sealed class CheckResolutionModel(IMediator mediator, MarketplaceDbContext db) : LaPage(db)
{
    [BindProperty(SupportsGet = true)] public int? ChargedQuantity { get; set; }
    [BindProperty(SupportsGet = true)] public string? Note { get; set; }
    public QuoteDisputeResolution.Result? Quote { get; private set; }
    public Guid Id { get; private set; }

    public string ChangeUrl => $"/la/disputes?change={Id}&chargedQuantity={ChargedQuantity}&note={Uri.EscapeDataString(Note ?? "")}#ChargedQuantity-{Id}";

    public async Task OnGetAsync(Guid id, CancellationToken ct) => await QuoteAsync(id, ct);

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new ResolveDispute.Command(id, ChargedQuantity, Note), ct);
            TempData["Success"] = "Dispute resolved. Emails telling the school and the provider are queued to be sent.";
            return Redirect("/la/disputes");
        }
        catch (Exception e) when (Problem(e)) { }
        catch (Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException)
        {
            ModelState.AddModelError("", "Someone else changed this booking at the same moment. Check it as it is now and try again.");
        }
        await QuoteAsync(id, ct);
        return Page();
    }

    private async Task QuoteAsync(Guid id, CancellationToken ct)
    {
        Id = id;
        await ResolveLaAsync(ct);
        try
        {
            Quote = await mediator.Send(new QuoteDisputeResolution.Query(id, ChargedQuantity, Note), ct);
        }
        catch (Exception e) when (Problem(e)) { Quote = null; }
    }

    private bool Problem(Exception e)
    {
        var messages = e switch
        {
            ValidationException v => v.Errors.Select(x => x.ErrorMessage),
            DomainRuleException or ForbiddenException => [e.Message],
            _ => null,
        };
        if (messages is null) return false;
        foreach (var m in messages.Distinct())
            if (ModelState[""]?.Errors.Any(x => x.ErrorMessage == m) != true) ModelState.AddModelError("", m);
        return true;
    }
}
