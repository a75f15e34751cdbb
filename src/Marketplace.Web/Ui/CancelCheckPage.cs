using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Features.Bookings;
using Marketplace.Domain.Common;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Ui;

/// <summary>
/// Check before cancelling a booking, for the school and for the provider: the charge and what goes back, from
/// <see cref="QuoteCancellation"/> (the decision and settlement <see cref="CancelBooking"/> applies), then
/// "Confirm cancellation". Showing the page changes nothing.
/// </summary>
public abstract class CancelCheckPage(IMediator mediator) : FormPage
{
    public BookingView Booking { get; private set; } = null!;
    public QuoteCancellation.Result? Quote { get; private set; }
    [BindProperty] public string? Reason { get; set; }

    /// <summary>The booking's own page, e.g. "/school/bookings/{id}".</summary>
    public abstract string PathOf(Guid id);

    /// <summary>Whose view the figures are told from: the school's balance, or the provider's view of the school's.</summary>
    public abstract bool ForSchool { get; }

    public async Task OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct);

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new CancelBooking.Command(id, Reason), ct);
            var after = await mediator.Send(new GetBooking.Query(id), ct);
            var p = after.Payment;
            var charged = p.SessionsUsed == 0 && p.CreditsCaptured == 0 && p.PenceDue == 0 ? "free"
                : string.Join(", ", new[]
                {
                    p.SessionsUsed > 0 ? $"{p.SessionsUsed:N0} included session{(p.SessionsUsed == 1 ? "" : "s")} used" : null,
                    p.CreditsCaptured > 0 ? $"{p.CreditsCaptured:N0} credits charged" : null,
                    p.PenceDue > 0 ? $"{Money.Format(p.PenceDue)} to pay" : null,
                }.OfType<string>());
            TempData["Success"] = $"Booking {after.Reference} is cancelled: {charged}." +
                (ForSchool && after.TotalCredits - p.CreditsCaptured > 0 ? $" {after.TotalCredits - p.CreditsCaptured:N0} credits are back in your balance." : "");
            return Redirect(PathOf(id));
        }
        catch (ValidationException e)
        {
            ModelState.AddValidationErrors(e, prefix: "");
        }
        catch (Exception e) when (e is DomainRuleException or ForbiddenException or InsufficientCreditsException)
        {
            ModelState.AddModelError("", e.Message);
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException)
        {
            ModelState.AddModelError("", "Someone else changed this booking at the same moment. Check it as it is now and try again.");
        }
        await LoadAsync(id, ct, quietly: true);
        return Page();
    }

    private async Task LoadAsync(Guid id, CancellationToken ct, bool quietly = false)
    {
        Booking = await mediator.Send(new GetBooking.Query(id), ct);
        try
        {
            Quote = await mediator.Send(new QuoteCancellation.Query(id), ct);
        }
        catch (Exception e) when (e is DomainRuleException or ForbiddenException)
        {
            Quote = null;
            if (!quietly || ModelState.IsValid) ModelState.AddModelError("", e.Message);
        }
    }
}
