using Marketplace.Application.Data;
using Marketplace.Application.Features.Bookings;
using Marketplace.Application.Identity;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Pages.Provider.Bookings;

/// <summary>One of the provider's bookings: confirm or decline, move (propose or answer a change), waive the 48-hour rule, cancel, record delivery.</summary>
[Authorize(Roles = Roles.Provider)]
public sealed class DetailsModel(IMediator mediator, MarketplaceDbContext db) : BookingPage(mediator)
{
    public IReadOnlyList<(Guid Id, string Name)> Practitioners { get; private set; } = [];
    [BindProperty] public Guid? PractitionerId { get; set; }
    [BindProperty] public DateInput? Date { get; set; }
    [BindProperty] public int? Quantity { get; set; }
    [BindProperty] public int? Minutes { get; set; }
    [BindProperty] public string? Note { get; set; }

    protected override string PathOf(Guid id) => $"/provider/bookings/{id}";

    /// <summary>Confirming and recording delivery use the single "Date" field.</summary>
    private static readonly Dictionary<string, string> DateField = new() { ["dates"] = nameof(Date), ["dates[0]"] = nameof(Date), ["date"] = nameof(Date) };

    public override async Task OnGetAsync(Guid id, CancellationToken ct)
    {
        await base.OnGetAsync(id, ct);
        Practitioners = (await db.Practitioners.AsNoTracking().Where(p => p.ProviderId == Booking.ProviderId).OrderBy(p => p.Name)
            .Select(p => new { p.Id, p.Name }).ToListAsync(ct)).Select(p => (p.Id, p.Name)).ToList();
    }

    public Task<IActionResult> OnPostConfirmAsync(Guid id, CancellationToken ct) => Act(id, async () =>
        await Mediator.Send(new ConfirmBooking.Command(id, PractitionerId, OneDate(Date)), ct),
        "Booking confirmed. An email to the school with the calendar invitation is queued to be sent.", ct, DateField);

    public Task<IActionResult> OnPostDeclineAsync(Guid id, CancellationToken ct) => Act(id, async () =>
        await Mediator.Send(new DeclineBooking.Command(id, Reason), ct), "Booking declined. The school's credits are back in its balance.", ct);

    public Task<IActionResult> OnPostDeliverAsync(Guid id, CancellationToken ct) => Act(id, async () =>
        await Mediator.Send(new RecordDelivery.Command(id, OneDate(Date), Quantity, Minutes, Note), ct),
        "Delivery recorded. The school has been asked to sign it off.", ct, DateField);

    public Task<IActionResult> OnPostProposeAsync(Guid id, CancellationToken ct) => Act(id, async () =>
        await Mediator.Send(new ProposeBookingChange.Command(id, NewDates(), PractitionerId, Reason), ct),
        "Change proposed. The school has been asked to accept it.", ct);

    public Task<IActionResult> OnPostWaiveAsync(Guid id, CancellationToken ct) => Act(id, async () =>
        await Mediator.Send(new WaiveFortyEightHourRule.Command(id, Reason), ct), "The 48-hour rule is waived for this booking.", ct);

    /// <summary>The confirm and delivery forms take one date.</summary>
    private static IReadOnlyList<DateOnly>? OneDate(DateInput? input) => input?.Read(nameof(Date), "Date") is { } d ? [d] : null;
}
