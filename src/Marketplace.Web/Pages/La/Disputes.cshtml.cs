using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Domain.Common;
using Marketplace.Web.Ui;
using Marketplace.Application.Data;
using Marketplace.Application.Features.Bookings;
using Marketplace.Application.Identity;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.La;

/// <summary>Disputed deliveries for the LA's commissioners: read both sides and settle what is charged.</summary>
[Authorize(Roles = Roles.LaCommissioner)]
public sealed class DisputesModel(IMediator mediator, MarketplaceDbContext db) : LaPage(db)
{
    public IReadOnlyList<DisputeSummary> Disputes { get; private set; } = [];
    [BindProperty(SupportsGet = true)] public int? ChargedQuantity { get; set; }
    [BindProperty(SupportsGet = true)] public string? Note { get; set; }

    /// <summary>The dispute whose answers the form shows again (after a refusal, or "Change" on the check page).</summary>
    [BindProperty(SupportsGet = true, Name = "change")] public Guid? Failed { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Disputes = await mediator.Send(new ListDisputes.Query(await ResolveLaAsync(ct)), ct);

    public static string CheckUrl(Guid id, int chargedQuantity, string note) =>
        $"/la/disputes/{id}/check?chargedQuantity={chargedQuantity}&note={Uri.EscapeDataString(note)}";

    public async Task<IActionResult> OnPostResolveAsync(Guid id, CancellationToken ct)
    {
        Failed = id;
        ModelState.Remove(nameof(ChargedQuantity)); // a non-number arrives as null: the command says what to enter
        try
        {
            // The quote the check page shows: a quantity or note the resolution would refuse is refused here, on the form.
            var quote = await mediator.Send(new QuoteDisputeResolution.Query(id, ChargedQuantity, Note), ct);
            return Redirect(CheckUrl(id, quote.ChargedQuantity, quote.Note));
        }
        catch (ValidationException e)
        {
            ModelState.AddValidationErrors(e, prefix: "", new Dictionary<string, string> { ["chargedQuantity"] = "ChargedQuantity-" + id, ["note"] = "Note-" + id });
        }
        catch (Exception e) when (e is DomainRuleException or ForbiddenException)
        {
            ModelState.AddModelError("", e.Message);
        }
        await OnGetAsync(ct);
        return Page();
    }
}
