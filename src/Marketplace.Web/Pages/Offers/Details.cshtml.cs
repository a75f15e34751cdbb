using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Features.Bookings;
using Marketplace.Application.Features.Credits;
using Marketplace.Application.Features.Offers;
using Marketplace.Application.Identity;
using Marketplace.Domain.Common;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Pages.Offers;

public sealed class DetailsModel(IMediator mediator, MarketplaceDbContext db, TimeProvider clock) : PageModel
{
    public OfferDetail Offer { get; private set; } = null!;
    [BindProperty(SupportsGet = true)] public int? Quantity { get; set; }
    [BindProperty(SupportsGet = true)] public DateInput PreferredDate { get; set; } = new();

    /// <summary>The weekend or bank-holiday date the buyer was warned about: sending it again asks for it anyway.</summary>
    [BindProperty] public string? WarnedDate { get; set; }

    public string? DateWarning { get; private set; }
    [BindProperty(SupportsGet = true)] public string? PreferredTerm { get; set; }
    [BindProperty(SupportsGet = true)] public string? PurchaseOrderNumber { get; set; }
    [BindProperty(SupportsGet = true)] public string? Notes { get; set; }
    [BindProperty(SupportsGet = true)] public bool PayShortfallInPounds { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? PractitionerId { get; set; }

    /// <summary>The signed-in buyer's school requires a purchase-order number on every booking.</summary>
    public bool RequiresPurchaseOrder { get; private set; }

    public IReadOnlyList<(Guid Id, string Name)> Practitioners { get; private set; } = [];

    /// <summary>What a credit is worth to the signed-in buyer's school, to show prices in pounds too (null for others).</summary>
    public GetCreditValue.Result? CreditValue { get; private set; }

    /// <summary>One key per form shown: submitting twice (a double click, a resubmitted page) books once.</summary>
    [BindProperty] public string? RequestKey { get; set; }

    public async Task OnGetAsync(Guid id, CancellationToken ct)
    {
        Offer = await mediator.Send(new GetOffer.Query(id, PreferPublished: true), ct);
        RequestKey ??= Guid.NewGuid().ToString("N");
        if (User.IsInRole(Roles.SchoolBuyer) && User.FindFirst(MarketplaceClaims.SchoolId)?.Value is { } school && Guid.TryParse(school, out var schoolId))
        {
            var buyer = await db.Schools.AsNoTracking().Where(s => s.Id == schoolId).Select(s => new { s.Urn, s.RequiresPurchaseOrder }).SingleAsync(ct);
            RequiresPurchaseOrder = buyer.RequiresPurchaseOrder;
            CreditValue = await mediator.Send(new GetCreditValue.Query(buyer.Urn), ct);
            var providerId = Offer.Provider.Id;
            Practitioners = (await db.Practitioners.AsNoTracking().Where(p => p.ProviderId == providerId).OrderBy(p => p.Name)
                .Select(p => new { p.Id, p.Name }).ToListAsync(ct)).Select(p => (p.Id, p.Name)).ToList();
        }
    }

    public async Task<IActionResult> OnPostBookAsync(Guid id, CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true) return Challenge();
        if (!User.IsInRole(Roles.SchoolBuyer)) return Forbid();
        try
        {
            var chosen = PreferredDate.Read(nameof(PreferredDate), "Preferred date");
            IReadOnlyList<DateOnly>? dates = chosen is { } d ? [d] : null;
            // A weekend or bank holiday is allowed but asked about once (the date rules themselves are the command's).
            if (chosen is { } day && Domain.Bookings.BookingDates.Refusal(day, clock.Today()) is null
                && Domain.Bookings.BookingDates.Warning(day) is { } warning && WarnedDate != day.ToString("O"))
            {
                DateWarning = warning;
                WarnedDate = day.ToString("O");
                await OnGetAsync(id, ct);
                return Page();
            }
            var schoolId = Guid.Parse(User.FindFirst(MarketplaceClaims.SchoolId)!.Value);
            var urn = await db.Schools.AsNoTracking().Where(s => s.Id == schoolId).Select(s => s.Urn).SingleAsync(ct);
            // The same quote the check page shows: answers the request would refuse are refused here, on the form.
            await mediator.Send(new QuoteBooking.Query(urn, id, Quantity, PractitionerId, PurchaseOrderNumber, PayShortfallInPounds, dates), ct);
            return Redirect(CheckBookingModel.UrlFor(id, new(Quantity, dates, PreferredTerm, PractitionerId, PurchaseOrderNumber, Notes, PayShortfallInPounds)));
        }
        catch (ValidationException e)
        {
            ModelState.AddValidationErrors(e, prefix: "", new Dictionary<string, string> { ["preferredDates[0]"] = "PreferredDate" });
        }
        catch (Exception e) when (e is DomainRuleException or InsufficientCreditsException or ForbiddenException)
        {
            ModelState.AddModelError("", e is InsufficientCreditsException i
                ? $"Your school does not have enough credits: this needs {i.Requested} and {i.Available} are available. Buy more credits first."
                : e.Message);
        }
        await OnGetAsync(id, ct);
        return Page();
    }
}
