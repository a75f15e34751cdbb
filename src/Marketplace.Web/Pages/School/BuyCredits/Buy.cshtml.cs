using System.Globalization;
using FluentValidation;
using Marketplace.Application.Data;
using Marketplace.Application.Features.Bookings;
using Marketplace.Application.Features.Credits;
using Marketplace.Application.Identity;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.School.BuyCredits;

/// <summary>Step one of buying credits: how many, and the purchase-order number. Nothing is bought here.</summary>
[Authorize(Roles = Roles.SchoolBuyer)]
public sealed class BuyModel(IMediator mediator, MarketplaceDbContext db) : SchoolPage(db)
{
    // Bound as text so "1.5" or "ten" get the service's own message, not the model binder's.
    [BindProperty(SupportsGet = true)] public string? Credits { get; set; }
    [BindProperty(SupportsGet = true)] public string? PurchaseOrderNumber { get; set; }
    public bool RequiresPurchaseOrder { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var urn = await ResolveUrnAsync(ct);
        if (ParseCredits(Credits, out var credits) is { } error) ModelState.AddModelError(nameof(Credits), error);
        else
        {
            try
            {
                // The same query the check page prices with: a quantity or PO the purchase would refuse is refused here.
                await mediator.Send(new QuoteCreditPurchase.Query(urn, credits, PurchaseOrderNumber), ct);
                return Redirect(CheckUrl(credits!.Value, PurchaseOrderNumber));
            }
            catch (ValidationException e)
            {
                ModelState.AddValidationErrors(e, prefix: "");
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var urn = await ResolveUrnAsync(ct);
        RequiresPurchaseOrder = (await mediator.Send(new GetBookingSettings.Query(urn), ct)).RequiresPurchaseOrder;
    }

    /// <summary>Null when the text is a whole number (or empty, which the query refuses with its own message); otherwise the message.</summary>
    public static string? ParseCredits(string? text, out int? credits)
    {
        credits = null;
        if (string.IsNullOrWhiteSpace(text)) return null;
        var trimmed = text.Trim().Replace(",", "", StringComparison.Ordinal);
        var sign = trimmed.StartsWith('-') ? -1 : 1;
        var digits = trimmed.TrimStart('-', '+');
        if (digits.Length > 0 && digits.All(char.IsAsciiDigit))
        {
            // Too many digits for an int is still a whole number: the query's range message fits it.
            credits = int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? sign * n : sign * int.MaxValue;
            return null;
        }
        return "Enter the number of credits as a whole number, like 10";
    }

    public static string CheckUrl(int credits, string? purchaseOrderNumber) =>
        $"/school/credits/buy/check?credits={credits}" +
        (string.IsNullOrWhiteSpace(purchaseOrderNumber) ? "" : "&purchaseOrderNumber=" + Uri.EscapeDataString(purchaseOrderNumber.Trim()));
}
