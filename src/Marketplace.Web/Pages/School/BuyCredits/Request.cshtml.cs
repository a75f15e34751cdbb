using FluentValidation;
using Marketplace.Application.Data;
using Marketplace.Application.Features.Credits;
using Marketplace.Application.Identity;
using Marketplace.Domain.Common;
using Marketplace.Domain.Credits;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.School.BuyCredits;

/// <summary>
/// The school's approver checks a purchase request: what was asked for and quoted then, the price today from
/// <see cref="QuoteCreditPurchase"/> (the rule the approval buys at), then Approve, or Decline with a reason.
/// </summary>
[Authorize(Roles = Roles.SchoolBuyer)]
public sealed class RequestModel(IMediator mediator, MarketplaceDbContext db) : SchoolPage(db)
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public string? Reason { get; set; }
    public CreditPurchaseRequestView PurchaseRequest { get; private set; } = null!;
    public QuoteCreditPurchase.Result? Quote { get; private set; }
    public bool MayApprove { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostApproveAsync(CancellationToken ct)
    {
        var urn = await ResolveUrnAsync(ct);
        try
        {
            var approved = await mediator.Send(new ApproveCreditPurchase.Command(urn, Id), ct);
            TempData["Success"] = $"You approved {approved.Request.RequestedBy}'s purchase: {approved.Purchase.Credits:N0} credits for {Money.Format(approved.Purchase.TotalPence)} on account.";
            return Redirect("/school/credits");
        }
        catch (Exception e) when (e is DomainRuleException or ValidationException)
        {
            ModelState.AddModelError("", e.Message);
        }
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostDeclineAsync(CancellationToken ct)
    {
        var urn = await ResolveUrnAsync(ct);
        try
        {
            var declined = await mediator.Send(new DeclineCreditPurchase.Command(urn, Id, Reason), ct);
            TempData["Success"] = $"You declined {declined.RequestedBy}'s request to buy {declined.Credits:N0} credits. Nothing was bought.";
            return Redirect("/school/credits");
        }
        catch (ValidationException e)
        {
            ModelState.AddValidationErrors(e, prefix: "");
        }
        catch (DomainRuleException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var urn = await ResolveUrnAsync(ct);
        var list = await mediator.Send(new ListCreditPurchaseRequests.Query(urn), ct);
        if (list.Requests.FirstOrDefault(r => r.Id == Id) is not { } request) return false;
        PurchaseRequest = request;
        MayApprove = list.MayApprove;
        if (request.Status == PurchaseRequestStatus.Pending)
            Quote = await mediator.Send(new QuoteCreditPurchase.Query(urn, request.Credits, request.PurchaseOrderNumber), ct);
        return true;
    }
}
