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
    [BindProperty] public int? ChargedQuantity { get; set; }
    [BindProperty] public string? Note { get; set; }
    public Guid? Failed { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Disputes = await mediator.Send(new ListDisputes.Query(await ResolveLaAsync(ct)), ct);

    public Task<IActionResult> OnPostResolveAsync(Guid id, CancellationToken ct)
    {
        Failed = id;
        ModelState.Remove(nameof(ChargedQuantity)); // a non-number arrives as null: the command says what to enter
        return TryAsync(async () => await mediator.Send(new ResolveDispute.Command(id, ChargedQuantity, Note), ct),
            "Dispute resolved. Emails telling the school and the provider are queued to be sent.", "/la/disputes", () => OnGetAsync(ct),
            new Dictionary<string, string> { ["chargedQuantity"] = "ChargedQuantity-" + id, ["note"] = "Note-" + id });
    }
}
