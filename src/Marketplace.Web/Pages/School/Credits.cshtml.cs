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
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var urn = await ResolveUrnAsync(ct);
        Balance = await mediator.Send(new GetCreditBalance.Query(urn), ct);
        Value = await mediator.Send(new GetCreditValue.Query(urn), ct);
        DateOnly? from = null, to = null;
        if (!string.IsNullOrWhiteSpace(From) && !TryDate(From, out from)) ModelState.AddModelError(nameof(From), "Enter the start date as a real date, for example 2026-04-01");
        if (!string.IsNullOrWhiteSpace(To) && !TryDate(To, out to)) ModelState.AddModelError(nameof(To), "Enter the end date as a real date, for example 2027-03-31");
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

    private static bool TryDate(string text, out DateOnly? date)
    {
        var ok = DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d);
        date = ok ? d : null;
        return ok;
    }
}
