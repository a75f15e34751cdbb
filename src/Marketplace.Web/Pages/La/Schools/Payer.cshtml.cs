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
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Pages.La.Schools;

/// <summary>Who pays for one school's subscription from now on, as <see cref="SetSubscriptionPayer"/> sets it.</summary>
[Authorize(Roles = Roles.LaCommissioner)]
public sealed class PayerModel(IMediator mediator, MarketplaceDbContext context, TimeProvider clock) : FormPage
{
    public string SchoolName { get; private set; } = "";
    public string? PeriodLabel { get; private set; }
    [BindProperty] public PayerForm Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(int urn, CancellationToken ct)
    {
        if (!await LoadAsync(urn, ct)) return NotFound();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int urn, CancellationToken ct)
    {
        var code = await ResolveLaAsync(ct);
        var input = Input.ToInput(ModelState, "Input.SchoolSharePercent");
        var posted = Input;
        if (!ModelState.IsValid)
        {
            if (!await LoadAsync(urn, ct)) return NotFound();
            Input = posted;
            return Page();
        }
        return await TryAsync(async () => await mediator.Send(new SetSubscriptionPayer.Command(code, urn, input), ct),
            "Who pays for the school's subscription is saved", "/la/subscriptions",
            async () => { await LoadAsync(urn, ct); Input = posted; }, PayerForm.Rename("", "Input."));
    }

    private async Task<int> ResolveLaAsync(CancellationToken ct)
    {
        var laId = Guid.Parse(User.FindFirst(MarketplaceClaims.LocalAuthorityId)!.Value);
        return await context.LocalAuthorities.AsNoTracking().Where(l => l.Id == laId).Select(l => l.Code).SingleAsync(ct);
    }

    /// <summary>The school in the commissioner's LA and its current subscription's payer; false when the school is not the LA's.</summary>
    private async Task<bool> LoadAsync(int urn, CancellationToken ct)
    {
        var code = await ResolveLaAsync(ct);
        var today = clock.Today();
        var school = await context.Schools.AsNoTracking().Where(s => s.Urn == urn && s.LocalAuthority!.Code == code)
            .Select(s => new
            {
                s.Name,
                Current = context.Subscriptions.Where(x => x.SchoolId == s.Id && x.Status == SubscriptionStatus.Active && x.StartsOn <= today && x.PeriodEnd >= today)
                    .Select(x => new { x.Payer, x.FundName, x.SchoolShareBasisPoints, x.PeriodStart, x.PeriodEnd }).FirstOrDefault(),
            }).SingleOrDefaultAsync(ct);
        if (school is null) return false;
        SchoolName = school.Name;
        PeriodLabel = school.Current is { } p ? $"{p.PeriodStart.Year}/{p.PeriodEnd.Year % 100:00}" : null;
        if (school.Current is { } c)
            Input = new PayerForm
            {
                Payer = EnumText.Api(c.Payer), FundName = c.FundName,
                SchoolSharePercent = c.Payer == Payer.Split ? (c.SchoolShareBasisPoints / 100m).ToString("0.##", CultureInfo.InvariantCulture) : null,
            };
        return true;
    }
}
