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
/// Check a downgrade or a renewal before confirming it: next period's fee and what it includes at the tier, beside this
/// period's, from <see cref="QuoteNextPeriod"/> (the same refusals as the commands). Showing the page changes nothing.
/// </summary>
[Authorize(Roles = Roles.SchoolBuyer)]
public sealed class CheckNextYearModel(IMediator mediator, MarketplaceDbContext db) : SchoolPage(db)
{
    [BindProperty(SupportsGet = true)] public string? Tier { get; set; }
    public QuoteNextPeriod.Result? Quote { get; private set; }

    /// <summary>"downgrade" or "renewal", from the route.</summary>
    public string Change { get; private set; } = "";

    public bool Renewal => Change == "renewal";
    public string ChangeUrl => "/school/subscription#" + Change;

    public async Task<IActionResult> OnGetAsync(string change, CancellationToken ct)
    {
        if (!Known(change)) return NotFound();
        await QuoteAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string change, CancellationToken ct)
    {
        if (!Known(change)) return NotFound();
        var urn = await ResolveUrnAsync(ct);
        try
        {
            if (Renewal)
            {
                await mediator.Send(new ConfirmRenewal.Command(urn, Tier), ct);
                TempData["Success"] = "Your renewal is confirmed" + (Tier is { } t && EnumTextTier(t) is { } tier ? $" at {Labels.Of(tier).ToLowerInvariant()}." : ".");
            }
            else
            {
                await mediator.Send(new ScheduleDowngrade.Command(urn, Tier, null), ct);
                TempData["Success"] = $"Your subscription will move to {(EnumTextTier(Tier) is { } tier ? Labels.Of(tier).ToLowerInvariant() : Tier)} from next year.";
            }
            return Redirect("/school/subscription");
        }
        catch (Exception e) when (Problem(e)) { }
        await QuoteAsync(ct);
        return Page();
    }

    private bool Known(string change)
    {
        Change = change;
        return change is "downgrade" or "renewal";
    }

    private static Domain.Catalogue.Tier? EnumTextTier(string? text) => EnumText.TryParse<Domain.Catalogue.Tier>(text, out var t) ? t : null;

    private async Task QuoteAsync(CancellationToken ct)
    {
        try
        {
            Quote = await mediator.Send(new QuoteNextPeriod.Query(await ResolveUrnAsync(ct), Tier, Renewal), ct);
        }
        catch (Exception e) when (Problem(e)) { Quote = null; }
    }

    /// <summary>A refusal a person can act on goes in the error summary (once), not a 500.</summary>
    private bool Problem(Exception e)
    {
        var messages = e switch
        {
            ValidationException v => v.Errors.Select(x => x.ErrorMessage),
            DomainRuleException or ForbiddenException or NotFoundException => [e.Message],
            Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException => ["Someone else changed the subscription at the same moment. Check it and try again."],
            _ => null,
        };
        if (messages is null) return false;
        foreach (var m in messages.Distinct())
            if (ModelState[""]?.Errors.Any(x => x.ErrorMessage == m) != true) ModelState.AddModelError("", m);
        return true;
    }
}
