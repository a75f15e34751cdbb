using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Features.Subscriptions;
using Marketplace.Application.Identity;
using Marketplace.Domain.Common;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.School.SubscriptionChanges;

/// <summary>
/// Check your upgrade: the prorated fee and the extra credits from <see cref="QuoteUpgrade"/> (the facts and rule the
/// upgrade itself uses), then "Confirm upgrade". Showing this page changes nothing.
/// </summary>
[Authorize(Roles = Roles.SchoolBuyer)]
public sealed class CheckUpgradeModel(IMediator mediator, MarketplaceDbContext db) : SchoolPage(db)
{
    [BindProperty(SupportsGet = true)] public string? Tier { get; set; }
    public QuoteUpgrade.Result? Quote { get; private set; }

    public const string ChangeUrl = "/school/subscription#upgrade";

    public async Task OnGetAsync(CancellationToken ct) => await QuoteAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var urn = await ResolveUrnAsync(ct);
        try
        {
            await mediator.Send(new UpgradeSubscription.Command(urn, Tier, null), ct);
            var now = (await mediator.Send(new GetSchoolSubscription.Query(urn), ct)).Current;
            var change = now?.Changes.LastOrDefault();
            TempData["Success"] = $"Your subscription is now {(now is null ? Tier : Labels.Of(now.Tier))}."
                + (change is null ? "" : $" The upgrade costs {Money.Format(change.FeePence)} for the rest of this period and {change.Credits:N0} extra credits are in your balance.");
            return Redirect("/school/subscription");
        }
        catch (Exception e) when (Problem(e)) { }
        await QuoteAsync(ct);
        return Page();
    }

    private async Task QuoteAsync(CancellationToken ct)
    {
        var urn = await ResolveUrnAsync(ct);
        try
        {
            Quote = await mediator.Send(new QuoteUpgrade.Query(urn, Tier), ct);
        }
        catch (Exception e) when (Problem(e)) { Quote = null; }
    }

    /// <summary>A refusal a person can act on goes in the error summary (once), not a 500.</summary>
    private bool Problem(Exception e)
    {
        var messages = e switch
        {
            ValidationException v => v.Errors.Select(x => x.ErrorMessage),
            DomainRuleException or ForbiddenException or NotFoundException or Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException =>
                [e is Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException ? "Someone else changed the subscription at the same moment. Check it and try again." : e.Message],
            _ => null,
        };
        if (messages is null) return false;
        foreach (var m in messages.Distinct())
            if (ModelState[""]?.Errors.Any(x => x.ErrorMessage == m) != true) ModelState.AddModelError("", m);
        return true;
    }
}
