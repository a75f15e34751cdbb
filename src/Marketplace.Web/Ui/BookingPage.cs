using Marketplace.Application.Features.Bookings;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Ui;

/// <summary>
/// Base for the school's and the provider's booking pages: loads the booking and answers a proposed
/// change (accept, reject, withdraw) the same way for both sides; each page adds its own actions.
/// </summary>
public abstract class BookingPage(IMediator mediator) : FormPage
{
    protected IMediator Mediator { get; } = mediator;
    public BookingView Booking { get; protected set; } = null!;
    [BindProperty] public string? Dates { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public Guid? ChangeId { get; set; }

    /// <summary>Where the page lives, e.g. "/school/bookings/{id}".</summary>
    protected abstract string PathOf(Guid id);

    protected virtual IReadOnlyDictionary<string, string> Rename { get; } =
        new Dictionary<string, string> { ["dates"] = nameof(Dates), ["dates[0]"] = nameof(Dates), ["note"] = nameof(Reason) };

    public virtual async Task OnGetAsync(Guid id, CancellationToken ct) => Booking = await Mediator.Send(new GetBooking.Query(id), ct);

    protected Task<IActionResult> Act(Guid id, Func<Task> action, string success, CancellationToken ct, IReadOnlyDictionary<string, string>? rename = null) =>
        TryAsync(action, success, PathOf(id), () => OnGetAsync(id, ct), rename ?? Rename);

    public Task<IActionResult> OnPostAcceptAsync(Guid id, CancellationToken ct) => Act(id, async () =>
        await Mediator.Send(new AcceptBookingChange.Command(id, ChangeId ?? Guid.Empty), ct), "Change accepted: the booking has moved.", ct);

    public Task<IActionResult> OnPostRejectAsync(Guid id, CancellationToken ct) => Act(id, async () =>
        await Mediator.Send(new RejectBookingChange.Command(id, ChangeId ?? Guid.Empty, Reason), ct), "Change rejected: the booking stays as it was.", ct);

    public Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken ct) => Act(id, async () =>
        await Mediator.Send(new WithdrawBookingChange.Command(id, ChangeId ?? Guid.Empty), ct), "Your proposed change is withdrawn.", ct);
}
