using FluentValidation;
using Marketplace.Application.Data;
using Marketplace.Application.Features.Credits;
using Marketplace.Application.Identity;
using Marketplace.Domain.Common;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.School.BuyCredits;

/// <summary>
/// Check your answers for a credit purchase: the price from <see cref="QuoteCreditPurchase"/> (the rule the
/// purchase itself prices with), then "Confirm purchase". The idempotency key is made when this page is
/// shown and travels in the form, so a double submit or a resubmitted page buys once.
/// </summary>
[Authorize(Roles = Roles.SchoolBuyer)]
public sealed class CheckModel(IMediator mediator, MarketplaceDbContext db) : SchoolPage(db)
{
    [BindProperty(SupportsGet = true)] public string? Credits { get; set; }
    [BindProperty(SupportsGet = true)] public string? PurchaseOrderNumber { get; set; }
    [BindProperty] public string? IdempotencyKey { get; set; }
    public QuoteCreditPurchase.Result? Quote { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        IdempotencyKey = Guid.NewGuid().ToString();
        return await QuoteAsync(ct) ? Page() : Redirect(ChangeUrl);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var urn = await ResolveUrnAsync(ct);
        if (BuyModel.ParseCredits(Credits, out var credits) is not null || credits is null) return Redirect(ChangeUrl);
        try
        {
            var outcome = await mediator.Send(new PurchaseCredits.Command(urn, credits, PurchaseOrderNumber, IdempotencyKey), ct);
            if (outcome.PendingRequest is { } pending)
            {
                TempData["Success"] = $"Your request to buy {pending.Credits:N0} credits for {Money.Format(pending.QuotedTotalPence)} has been sent to your school's approver. Nothing is bought until they approve it.";
                return Redirect("/school/credits");
            }
            var bought = outcome.Purchase!;
            var balance = (await mediator.Send(new GetCreditBalance.Query(urn), ct)).Balance;
            TempData["Success"] = $"You bought {bought.Credits:N0} credits for {Money.Format(bought.TotalPence)} on account. Your balance is now {balance:N0} credits.";
            return Redirect("/school/credits");
        }
        catch (ValidationException e)
        {
            ModelState.AddValidationErrors(e, prefix: "", new Dictionary<string, string> { ["idempotency-Key"] = "" });
        }
        catch (Exception e) when (e is DomainRuleException or Application.Common.IdempotencyKeyReusedException)
        {
            ModelState.AddModelError("", e.Message);
        }
        await QuoteAsync(ct);
        return Page();
    }

    public string ChangeUrl => "/school/credits/buy?credits=" + Uri.EscapeDataString(Credits ?? "") +
        (string.IsNullOrWhiteSpace(PurchaseOrderNumber) ? "" : "&purchaseOrderNumber=" + Uri.EscapeDataString(PurchaseOrderNumber));

    /// <summary>False when the answers would not be accepted: the buyer goes back to the form to correct them.</summary>
    private async Task<bool> QuoteAsync(CancellationToken ct)
    {
        var urn = await ResolveUrnAsync(ct);
        if (BuyModel.ParseCredits(Credits, out var credits) is not null || credits is null) return false;
        try
        {
            Quote = await mediator.Send(new QuoteCreditPurchase.Query(urn, credits, PurchaseOrderNumber), ct);
            return true;
        }
        catch (ValidationException)
        {
            return false;
        }
    }
}
