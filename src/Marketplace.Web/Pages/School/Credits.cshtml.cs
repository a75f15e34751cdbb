using FluentValidation;
using Marketplace.Application.Data;
using Marketplace.Application.Features.Credits;
using Marketplace.Application.Identity;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.School;

[Authorize(Roles = Roles.SchoolBuyer)]
public sealed class CreditsModel(IMediator mediator, MarketplaceDbContext db) : SchoolPage(db)
{
    public GetCreditBalance.Result Balance { get; private set; } = null!;
    public GetCreditValue.Result Value { get; private set; } = null!;
    public GetStatement.Statement? Statement { get; private set; }
    public ListCreditPurchaseRequests.Result Requests { get; private set; } = null!;

    /// <summary>Pending requests, then the few most recently decided.</summary>
    public const int DecidedRequestsShown = 5;
    [BindProperty(SupportsGet = true)] public DateInput From { get; set; } = new();
    [BindProperty(SupportsGet = true)] public DateInput To { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct)
    {
        var urn = await ResolveUrnAsync(ct);
        Balance = await mediator.Send(new GetCreditBalance.Query(urn), ct);
        Value = await mediator.Send(new GetCreditValue.Query(urn), ct);
        Requests = await mediator.Send(new ListCreditPurchaseRequests.Query(urn), ct);
        DateOnly? from = null, to = null;
        foreach (var (input, key, label) in new[] { (From, nameof(From), "Start date"), (To, nameof(To), "End date") })
        {
            var read = Domain.Common.DateParts.Parse(input.Day, input.Month, input.Year, label);
            if (read.Error is not null) ModelState.AddModelError(key, read.Error);
            else if (key == nameof(From)) from = read.Date;
            else to = read.Date;
        }
        if (!ModelState.IsValid) return;
        try
        {
            Statement = await mediator.Send(new GetStatement.Query(urn, from, to), ct);
        }
        catch (ValidationException e)
        {
            ModelState.AddValidationErrors(e, prefix: "");
        }
    }
}
