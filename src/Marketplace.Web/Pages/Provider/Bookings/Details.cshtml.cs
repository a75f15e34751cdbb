using FluentValidation;
using Marketplace.Application.Data;
using Marketplace.Application.Features.Bookings;
using Marketplace.Application.Identity;
using Marketplace.Domain.Common;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Pages.Provider.Bookings;

[Authorize(Roles = Roles.Provider)]
public sealed class DetailsModel(IMediator mediator, MarketplaceDbContext db) : PageModel
{
    public BookingView Booking { get; private set; } = null!;
    public IReadOnlyList<(Guid Id, string Name)> Practitioners { get; private set; } = [];
    [BindProperty] public Guid? PractitionerId { get; set; }
    [BindProperty] public string? Date { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public int? Quantity { get; set; }
    [BindProperty] public int? Minutes { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? Dates { get; set; }
    [BindProperty] public Guid? ChangeId { get; set; }

    public async Task OnGetAsync(Guid id, CancellationToken ct)
    {
        Booking = await mediator.Send(new GetBooking.Query(id), ct);
        Practitioners = (await db.Practitioners.AsNoTracking().Where(p => p.ProviderId == Booking.ProviderId).OrderBy(p => p.Name)
            .Select(p => new { p.Id, p.Name }).ToListAsync(ct)).Select(p => (p.Id, p.Name)).ToList();
    }

    public Task<IActionResult> OnPostConfirmAsync(Guid id, CancellationToken ct) => ActAsync(id, async () =>
    {
        var dates = ParseDate(Date, nameof(Date));
        await mediator.Send(new ConfirmBooking.Command(id, PractitionerId, dates), ct);
    }, "Booking confirmed. The school has been sent the calendar invitation.", ct);

    public Task<IActionResult> OnPostDeclineAsync(Guid id, CancellationToken ct) => ActAsync(id, async () =>
        await mediator.Send(new AnswerBooking.Command(id, AnswerBooking.Kind.Decline, Reason), ct), "Booking declined. The school's credits are back in its balance.", ct);

    public Task<IActionResult> OnPostDeliverAsync(Guid id, CancellationToken ct) => ActAsync(id, async () =>
    {
        var dates = ParseDate(Date, nameof(Date));
        await mediator.Send(new CompleteBooking.Command(id, CompleteBooking.Kind.Deliver, dates, Quantity, Minutes, Note), ct);
    }, "Delivery recorded. The school has been asked to sign it off.", ct);

    public Task<IActionResult> OnPostProposeAsync(Guid id, CancellationToken ct) => ActAsync(id, async () =>
        await mediator.Send(new ProposeBookingChange.Command(id, FormDates.Parse(Dates, nameof(Dates)), PractitionerId, Reason), ct),
        "Change proposed. The school has been asked to accept it.", ct, nameof(Dates));

    public Task<IActionResult> OnPostAcceptAsync(Guid id, CancellationToken ct) => ActAsync(id, async () =>
        await mediator.Send(new AnswerBookingChange.Command(id, ChangeId ?? Guid.Empty, AnswerBookingChange.Kind.Accept), ct), "Change accepted: the booking has moved.", ct);

    public Task<IActionResult> OnPostRejectAsync(Guid id, CancellationToken ct) => ActAsync(id, async () =>
        await mediator.Send(new AnswerBookingChange.Command(id, ChangeId ?? Guid.Empty, AnswerBookingChange.Kind.Reject, Reason), ct), "Change rejected: the booking stays as it was.", ct);

    public Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken ct) => ActAsync(id, async () =>
        await mediator.Send(new AnswerBookingChange.Command(id, ChangeId ?? Guid.Empty, AnswerBookingChange.Kind.Withdraw), ct), "Your proposed change is withdrawn.", ct);

    public Task<IActionResult> OnPostWaiveAsync(Guid id, CancellationToken ct) => ActAsync(id, async () =>
        await mediator.Send(new WaiveLateRule.Command(id, Reason), ct), "The 48-hour rule is waived for this booking.", ct);

    public Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct) => ActAsync(id, async () =>
        await mediator.Send(new AnswerBooking.Command(id, AnswerBooking.Kind.Cancel, Reason), ct), "Booking cancelled, free to the school.", ct);

    private static IReadOnlyList<DateOnly>? ParseDate(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d)
            ? [d] : throw new ValidationException([new(field, "Enter the date as YYYY-MM-DD, for example 2027-01-12")]);

    private async Task<IActionResult> ActAsync(Guid id, Func<Task> action, string success, CancellationToken ct, string datesField = nameof(Date))
    {
        try
        {
            await action();
            TempData["Success"] = success;
            return Redirect($"/provider/bookings/{id}");
        }
        catch (ValidationException e)
        {
            ModelState.AddValidationErrors(e, prefix: "", new Dictionary<string, string> { ["dates"] = datesField, ["dates[0]"] = datesField, ["date"] = datesField });
        }
        catch (Exception e) when (e is DomainRuleException or Application.Common.ForbiddenException)
        {
            ModelState.AddModelError("", e.Message);
        }
        await OnGetAsync(id, ct);
        return Page();
    }
}
