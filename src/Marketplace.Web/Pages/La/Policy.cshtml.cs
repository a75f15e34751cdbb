using System.Globalization;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Features.Subscriptions;
using Marketplace.Application.Identity;
using Marketplace.Domain.Subscriptions;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.La;

/// <summary>The LA's subscription policy, as <see cref="SetSubscriptionPolicy"/> keeps it: the subscription year, who pays for concern enrolments, the renewal window.</summary>
[Authorize(Roles = Roles.LaCommissioner)]
public sealed class PolicyModel(IMediator mediator, MarketplaceDbContext db) : LaPage(db)
{
    [BindProperty] public string? PeriodBasis { get; set; }
    [BindProperty] public PayerForm Concern { get; set; } = new();
    [BindProperty] public string? RenewalWindowDays { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var policy = await mediator.Send(new GetSubscriptionPolicy.Query(await ResolveLaAsync(ct)), ct);
        PeriodBasis = policy.PeriodBasisOverride is { } b ? EnumText.Api(b) : "";
        Concern = new PayerForm
        {
            Payer = EnumText.Api(policy.ConcernPayer), FundName = policy.ConcernFundName,
            SchoolSharePercent = policy.ConcernPayer == Payer.Split ? (policy.ConcernSchoolShareBasisPoints / 100m).ToString("0.##", CultureInfo.InvariantCulture) : null,
        };
        RenewalWindowDays = policy.RenewalWindowDays.ToString(CultureInfo.InvariantCulture);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var code = await ResolveLaAsync(ct);
        var concern = Concern.ToInput(ModelState, "Concern.SchoolSharePercent");
        int? window = int.TryParse(RenewalWindowDays?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var days) ? days : null;
        if (window is null) ModelState.AddModelError(nameof(RenewalWindowDays), "Enter the renewal window as a whole number of days, 14 to 180");
        if (!ModelState.IsValid) return Page();
        var rename = PayerForm.Rename("concern.", "Concern.");
        rename["periodBasisOverride"] = nameof(PeriodBasis);
        rename["renewalWindowDays"] = nameof(RenewalWindowDays);
        return await TryAsync(async () => await mediator.Send(new SetSubscriptionPolicy.Command(code, string.IsNullOrEmpty(PeriodBasis) ? null : PeriodBasis, concern, window), ct),
            "The subscription policy is saved", "/la/packages", () => Task.CompletedTask, rename);
    }
}
