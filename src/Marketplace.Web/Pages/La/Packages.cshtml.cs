using Marketplace.Application.Data;
using Marketplace.Application.Features.Subscriptions;
using Marketplace.Application.Identity;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.La;

[Authorize(Roles = Roles.LaCommissioner)]
public sealed class PackagesModel(IMediator mediator, MarketplaceDbContext db) : LaPage(db)
{
    public IReadOnlyList<PackageView> Packages { get; private set; } = [];
    public SubscriptionPolicyView Policy { get; private set; } = null!;

    [BindProperty] public int Year { get; set; }
    [BindProperty] public string? Tier { get; set; }
    [BindProperty] public string? AnnualFee { get; set; }
    [BindProperty] public string? PerPupil { get; set; }
    [BindProperty] public int? CreditsIncluded { get; set; }
    [BindProperty] public int? DiscountPercent { get; set; }
    [BindProperty] public int? AdviserSessions { get; set; }
    [BindProperty] public int? NoticeDays { get; set; }
    [BindProperty] public int? MaxTermYears { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var code = await ResolveLaAsync(ct);
        Packages = await mediator.Send(new ListPackages.Query(code), ct);
        Policy = await mediator.Send(new GetSubscriptionPolicy.Query(code), ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var code = await ResolveLaAsync(ct);
        var fee = Pence(AnnualFee, nameof(AnnualFee), "Enter the annual fee in pounds, for example 1500 or 1500.00");
        var perPupil = Pence(PerPupil, nameof(PerPupil), "Enter the per-pupil rate in pounds, for example 6.50");
        if (!ModelState.IsValid)
        {
            await OnGetAsync(ct);
            return Page();
        }
        var existing = (await mediator.Send(new ListPackages.Query(code), ct)).FirstOrDefault(p => p.Year == Year && p.Tier.ToString() == Tier);
        var input = new PackageInput(fee, perPupil, CreditsIncluded, DiscountPercent * 100, AdviserSessions,
            existing?.NamedLinkAdviser ?? Tier != "Bronze", existing?.SystemLeaderAccess ?? Tier == "Gold", existing?.PriorityBooking ?? Tier == "Gold",
            NoticeDays, MaxTermYears, existing?.PurchasedCreditValidityMonths ?? 12);
        return await TryAsync(async () => await mediator.Send(new ChangePackage.Command(code, Year, Tier, input), ct),
            $"The {Tier?.ToLowerInvariant()} package for {Year}/{(Year + 1) % 100:00} is saved", "/la/packages", () => OnGetAsync(ct),
            new Dictionary<string, string>
            {
                ["input.annualFeePence"] = nameof(AnnualFee), ["input.perPupilPence"] = nameof(PerPupil), ["input.creditsIncluded"] = nameof(CreditsIncluded),
                ["input.discountBasisPoints"] = nameof(DiscountPercent), ["input.adviserSessions"] = nameof(AdviserSessions),
                ["input.noticeDays"] = nameof(NoticeDays), ["input.maxTermYears"] = nameof(MaxTermYears), ["tier"] = nameof(Tier), ["year"] = nameof(Year),
            });
    }

    private long? Pence(string? pounds, string field, string message)
    {
        if (decimal.TryParse(pounds?.Trim().TrimStart('£').Replace(",", ""), System.Globalization.NumberStyles.Number,
                System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 0 && decimal.Round(value, 2) == value)
            return (long)(value * 100);
        ModelState.AddModelError(field, message);
        return null;
    }
}
