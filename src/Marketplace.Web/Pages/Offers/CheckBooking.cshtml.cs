using System.Globalization;
using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Features.Bookings;
using Marketplace.Application.Identity;
using Marketplace.Domain.Common;
using Marketplace.Web.Pages.School;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.Offers;

/// <summary>
/// Check your booking request: how it will be paid (included sessions, credits held, pounds) from <see cref="QuoteBooking"/>,
/// the facts and plan the request itself uses, then "Confirm booking request". The answers arrive already parsed from the
/// offer page; the idempotency key is made when this page is shown, so a double submit requests once.
/// </summary>
[Authorize(Roles = Roles.SchoolBuyer)]
public sealed class CheckBookingModel(IMediator mediator, MarketplaceDbContext db) : SchoolPage(db)
{
    /// <summary>The answers from the offer page. Dates travel as yyyy-MM-dd (a transport format, never shown).</summary>
    public sealed record Answers(int? Quantity, IReadOnlyList<DateOnly>? PreferredDates, string? PreferredTerm, Guid? PractitionerId,
        string? PurchaseOrderNumber, string? Notes, bool PayShortfallInPounds);

    [BindProperty(SupportsGet = true)] public int? Quantity { get; set; }
    [BindProperty(SupportsGet = true)] public List<string> PreferredDates { get; set; } = [];
    [BindProperty(SupportsGet = true)] public string? PreferredTerm { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? PractitionerId { get; set; }
    [BindProperty(SupportsGet = true)] public string? PurchaseOrderNumber { get; set; }
    [BindProperty(SupportsGet = true)] public string? Notes { get; set; }
    [BindProperty(SupportsGet = true)] public bool PayShortfallInPounds { get; set; }
    [BindProperty] public string? IdempotencyKey { get; set; }

    public Guid OfferId { get; private set; }
    public QuoteBooking.Result? Quote { get; private set; }
    public IReadOnlyList<DateOnly> Dates { get; private set; } = [];

    public static string UrlFor(Guid offerId, Answers a) => $"/offers/{offerId}/book/check" + Query(a, "PreferredDates");

    /// <summary>Back to the offer's form with every answer in it.</summary>
    public string ChangeUrl => $"/offers/{OfferId}" + Query(Current, "PreferredDate") + "#book";

    /// <summary>Where the confirm form posts: this page, with the answers it shows.</summary>
    public string PostUrl => UrlFor(OfferId, Current);

    private Answers Current => new(Quantity, Dates, PreferredTerm, PractitionerId, PurchaseOrderNumber, Notes, PayShortfallInPounds);

    private static string Query(Answers a, string datesName)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) parts.Add(name + "=" + Uri.EscapeDataString(value));
        }
        Add("Quantity", a.Quantity?.ToString(CultureInfo.InvariantCulture));
        foreach (var d in a.PreferredDates ?? [])
        {
            if (datesName == "PreferredDates") Add(datesName, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            else
            {
                // The offer page's form is a GOV.UK date input: its day, month and year boxes.
                Add(datesName + ".Day", d.Day.ToString(CultureInfo.InvariantCulture));
                Add(datesName + ".Month", d.Month.ToString(CultureInfo.InvariantCulture));
                Add(datesName + ".Year", d.Year.ToString(CultureInfo.InvariantCulture));
            }
        }
        Add("PreferredTerm", a.PreferredTerm);
        Add("PractitionerId", a.PractitionerId?.ToString());
        Add("PurchaseOrderNumber", a.PurchaseOrderNumber);
        Add("Notes", a.Notes);
        if (a.PayShortfallInPounds) Add("PayShortfallInPounds", "true");
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        IdempotencyKey = Guid.NewGuid().ToString("N");
        return await QuoteAsync(id, ct) ? Page() : Redirect(ChangeUrl);
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await QuoteAsync(id, ct)) return Redirect(ChangeUrl);
        if (!ModelState.IsValid) return Page();
        try
        {
            var urn = await ResolveUrnAsync(ct);
            var booking = await mediator.Send(new RequestBooking.Command(urn, id, Quantity, Dates, PreferredTerm, PractitionerId, PurchaseOrderNumber, Notes,
                IdempotencyKey, PayShortfallInPounds), ct);
            var view = await mediator.Send(new GetBooking.Query(booking), ct);
            TempData["Success"] = $"Booking {view.Reference} requested ({view.Payment.Summary}). The provider will confirm or decline it.";
            return Redirect($"/school/bookings/{booking}");
        }
        catch (ValidationException e)
        {
            foreach (var m in e.Errors.Select(x => x.ErrorMessage).Distinct()) ModelState.AddModelError("", m);
        }
        catch (InsufficientCreditsException i)
        {
            ModelState.AddModelError("", ShortMessage(i.Requested, i.Available));
        }
        catch (Exception e) when (e is DomainRuleException or ForbiddenException or IdempotencyKeyReusedException)
        {
            ModelState.AddModelError("", e.Message);
        }
        return Page();
    }

    private string ShortMessage(long needed, long available) =>
        $"Your school does not have enough credits: this needs {needed:N0} and {available:N0} are available. Buy more credits first"
        + (Quote is { PayAsYouUse: true } && !PayShortfallInPounds ? ", or go back and choose to pay in pounds for what your credits do not cover." : ".");

    /// <summary>False when the answers would not be accepted at all: the buyer goes back to the form, which says why.</summary>
    private async Task<bool> QuoteAsync(Guid id, CancellationToken ct)
    {
        OfferId = id;
        var dates = new List<DateOnly>();
        foreach (var text in PreferredDates)
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
            dates.Add(d);
        }
        Dates = dates;
        try
        {
            Quote = await mediator.Send(new QuoteBooking.Query(await ResolveUrnAsync(ct), id, Quantity, PractitionerId, PurchaseOrderNumber, PayShortfallInPounds, Dates), ct);
        }
        catch (Exception e) when (e is ValidationException or NotFoundException)
        {
            return false;
        }
        catch (Exception e) when (e is DomainRuleException or ForbiddenException)
        {
            ModelState.AddModelError("", e.Message);
            return true;
        }
        if (Quote.ShortOfCredits) ModelState.AddModelError("", ShortMessage(Quote.TotalCredits, Quote.CreditsAvailable));
        return true;
    }
}
