using System.Globalization;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Features.Subscriptions;
using Marketplace.Application.Identity;
using Marketplace.Domain.Common;
using Marketplace.Domain.Subscriptions;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.La;

/// <summary>The LA's subscription policy, as <see cref="SetSubscriptionPolicy"/> keeps it: the subscription year, who pays for concern enrolments, the renewal window, and the credit purchase a school's approver must confirm.</summary>
[Authorize(Roles = Roles.LaCommissioner)]
public sealed class PolicyModel(IMediator mediator, MarketplaceDbContext db) : LaPage(db)
{
    [BindProperty] public string? PeriodBasis { get; set; }
    [BindProperty] public PayerForm Concern { get; set; } = new();
    [BindProperty] public string? RenewalWindowDays { get; set; }

    /// <summary>Pounds, as typed ("500", "1,250.00"); empty means no limit.</summary>
    [BindProperty] public string? CreditPurchaseApprovalLimit { get; set; }

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
        CreditPurchaseApprovalLimit = policy.CreditPurchaseApprovalLimitPence is { } limit
            ? Money.PenceToPounds(limit).ToString("#,##0.00", CultureInfo.GetCultureInfo("en-GB")) : "";
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var code = await ResolveLaAsync(ct);
        var concern = Concern.ToInput(ModelState, "Concern.SchoolSharePercent");
        int? window = int.TryParse(RenewalWindowDays?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var days) ? days : null;
        if (window is null) ModelState.AddModelError(nameof(RenewalWindowDays), "Enter the renewal window as a whole number of days, 14 to 180");
        long? limit = null;
        var limitText = CreditPurchaseApprovalLimit?.Trim().TrimStart('£').Replace(",", "");
        if (!string.IsNullOrEmpty(limitText))
        {
            if (decimal.TryParse(limitText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var pounds) && decimal.Round(pounds, 2) == pounds
                && pounds <= Money.PenceToPounds(Domain.Organisations.LocalAuthority.MaxCreditPurchaseApprovalLimitPence))
                limit = Money.PoundsToPence(pounds);
            else
                ModelState.AddModelError(nameof(CreditPurchaseApprovalLimit),
                    $"Enter the approval limit in pounds, for example 500 or 1,250.00, up to {Money.Format(Domain.Organisations.LocalAuthority.MaxCreditPurchaseApprovalLimitPence)}, or leave it empty for no limit");
        }
        if (!ModelState.IsValid) return Page();
        var rename = PayerForm.Rename("concern.", "Concern.");
        rename["periodBasisOverride"] = nameof(PeriodBasis);
        rename["renewalWindowDays"] = nameof(RenewalWindowDays);
        rename["creditPurchaseApprovalLimitPence"] = nameof(CreditPurchaseApprovalLimit);
        return await TryAsync(async () => await mediator.Send(new SetSubscriptionPolicy.Command(code, string.IsNullOrEmpty(PeriodBasis) ? null : PeriodBasis, concern, window, limit), ct),
            "The subscription policy is saved", "/la/packages", () => Task.CompletedTask, rename);
    }
}
