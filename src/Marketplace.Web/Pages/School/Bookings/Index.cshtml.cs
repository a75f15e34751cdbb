using Marketplace.Application.Data;
using Marketplace.Application.Features.Bookings;
using Marketplace.Application.Identity;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.School.Bookings;

[Authorize(Roles = Roles.SchoolBuyer)]
public sealed class IndexModel(IMediator mediator, MarketplaceDbContext db) : SchoolPage(db)
{
    public IReadOnlyList<BookingSummary> Bookings { get; private set; } = [];
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public bool RequiresPurchaseOrder { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var urn = await ResolveUrnAsync(ct);
        Bookings = await mediator.Send(new ListSchoolBookings.Query(urn), ct);
        RequiresPurchaseOrder = (await mediator.Send(new GetBookingSettings.Query(urn), ct)).RequiresPurchaseOrder;
    }

    public async Task<IActionResult> OnPostSettingsAsync(CancellationToken ct)
    {
        var required = RequiresPurchaseOrder;
        return await TryAsync(async () => await mediator.Send(new SetBookingSettings.Command(await ResolveUrnAsync(ct), required), ct),
            required ? "Every booking now needs a purchase-order number." : "Purchase-order numbers are now optional.", "/school/bookings", () => OnGetAsync(ct));
    }

    public async Task<IActionResult> OnPostSignOffAsync(Guid id, CancellationToken ct) =>
        await TryAsync(async () => await mediator.Send(new SignOffBooking.Command(id), ct),
            "Signed off: the credits for what was delivered have gone to the provider.", "/school/bookings", () => OnGetAsync(ct));
}
