using Marketplace.Application.Data;
using Marketplace.Application.Features.Bookings;
using Marketplace.Application.Identity;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.School.Bookings;

/// <summary>One of the school's bookings: propose or answer a change of date, sign off or dispute, cancel.</summary>
[Authorize(Roles = Roles.SchoolBuyer)]
public sealed class DetailsModel(IMediator mediator, MarketplaceDbContext db) : SchoolPage(db)
{
    public BookingView Booking { get; private set; } = null!;
    [BindProperty] public string? Dates { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public Guid? ChangeId { get; set; }

    public async Task OnGetAsync(Guid id, CancellationToken ct) => Booking = await mediator.Send(new GetBooking.Query(id), ct);

    private static readonly Dictionary<string, string> Rename = new() { ["dates"] = nameof(Dates), ["dates[0]"] = nameof(Dates), ["note"] = nameof(Reason) };

    private Task<IActionResult> Act(Guid id, Func<Task> action, string success, CancellationToken ct) =>
        TryAsync(action, success, $"/school/bookings/{id}", () => OnGetAsync(id, ct), Rename);

    public Task<IActionResult> OnPostProposeAsync(Guid id, CancellationToken ct) => Act(id, async () =>
            await mediator.Send(new ProposeBookingChange.Command(id, FormDates.Parse(Dates, nameof(Dates)), null, Reason), ct),
        "Change proposed. The provider has been asked to accept it.", ct);

    public Task<IActionResult> OnPostAcceptAsync(Guid id, CancellationToken ct) => Act(id, async () =>
        await mediator.Send(new AnswerBookingChange.Command(id, ChangeId ?? Guid.Empty, AnswerBookingChange.Kind.Accept), ct), "Change accepted: the booking has moved.", ct);

    public Task<IActionResult> OnPostRejectAsync(Guid id, CancellationToken ct) => Act(id, async () =>
        await mediator.Send(new AnswerBookingChange.Command(id, ChangeId ?? Guid.Empty, AnswerBookingChange.Kind.Reject, Reason), ct), "Change rejected: the booking stays as it was.", ct);

    public Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken ct) => Act(id, async () =>
        await mediator.Send(new AnswerBookingChange.Command(id, ChangeId ?? Guid.Empty, AnswerBookingChange.Kind.Withdraw), ct), "Your proposed change is withdrawn.", ct);

    public Task<IActionResult> OnPostSignOffAsync(Guid id, CancellationToken ct) => Act(id, async () =>
        await mediator.Send(new CompleteBooking.Command(id, CompleteBooking.Kind.SignOff), ct), "Signed off: the provider has been paid for what was delivered.", ct);

    public Task<IActionResult> OnPostDisputeAsync(Guid id, CancellationToken ct) => Act(id, async () =>
        await mediator.Send(new CompleteBooking.Command(id, CompleteBooking.Kind.Dispute, Note: Reason), ct),
        "Dispute recorded. Your local authority's commissioners will resolve it; the credits stay held until then.", ct);

    public Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct) => Act(id, async () =>
        await mediator.Send(new AnswerBooking.Command(id, AnswerBooking.Kind.Cancel, Reason), ct), "The booking is cancelled. Anything not charged is back in your balance.", ct);
}
