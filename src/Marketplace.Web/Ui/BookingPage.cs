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
    /// <summary>A proposed change's new dates: one date input per day of the booking (see <see cref="NewDateInputs"/>).</summary>
    [BindProperty] public List<DateInput> Dates { get; set; } = [];

    public const int MaxNewDates = 10;
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public Guid? ChangeId { get; set; }

    /// <summary>Where the page lives, e.g. "/school/bookings/{id}".</summary>
    protected abstract string PathOf(Guid id);

    protected virtual IReadOnlyDictionary<string, string> Rename { get; } =
        Enumerable.Range(0, MaxNewDates).ToDictionary(i => $"dates[{i}]", i => $"Dates[{i}]")
            .Concat(new Dictionary<string, string> { ["dates"] = "Dates[0]", ["note"] = nameof(Reason) }).ToDictionary();

    /// <summary>
    /// The date inputs of a proposed change: as many as the booking has days (at least one, at most
    /// <see cref="MaxNewDates"/>), filled with the booked dates; a box left empty drops that day.
    /// </summary>
    public IReadOnlyList<DateInputView> NewDateInputs()
    {
        var booked = Booking.ConfirmedDates.Count > 0 ? Booking.ConfirmedDates : Booking.PreferredDates;
        var count = Math.Clamp(Math.Max(booked.Count, Dates.Count), 1, MaxNewDates);
        return Enumerable.Range(0, count).Select(i => new DateInputView($"Dates[{i}]", count == 1 ? "New date" : $"New date {i + 1}",
            i < Dates.Count ? Dates[i] : DateInput.Of(i < booked.Count ? booked[i] : null))).ToList();
    }

    /// <summary>The new dates typed, blanks skipped; every wrong one is named.</summary>
    protected IReadOnlyList<DateOnly>? NewDates()
    {
        var inputs = Dates.Take(MaxNewDates).ToList();
        return DateInput.ReadAll(inputs, inputs.Select((_, i) => $"Dates[{i}]").ToList(), "New date");
    }

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
