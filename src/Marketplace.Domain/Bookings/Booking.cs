using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;

namespace Marketplace.Domain.Bookings;

public enum BookingStatus
{
    /// <summary>Asked for by the school; its credits are held until the provider answers.</summary>
    Requested,
    Confirmed,
    Declined,
    Delivered,
    SignedOff,
    Disputed,
    Cancelled,
}

public enum BookingEventKind
{
    Requested,
    Confirmed,
    Declined,
    Cancelled,
    Delivered,
    SignedOff,
    Disputed,
}

/// <summary>What a cancellation costs the school, by the offer's terms (see <see cref="CancellationTerms"/>).</summary>
public sealed record CancellationCharge(int Credits, string Rule);

/// <summary>
/// Cancelling a confirmed booking: free up to <see cref="FreeWorkingDays"/> working days before the
/// first date; later, <see cref="LateChargePercent"/>% of the credits; under 48 hours before, the booking
/// counts as delivered (charged in full). Cancellation by the provider is always free to the school.
/// </summary>
public sealed record CancellationTerms(int FreeWorkingDays = 10, int LateChargePercent = 50)
{
    public static readonly CancellationTerms Default = new();

    public CancellationCharge ChargeFor(int totalCredits, DateOnly firstDate, DateTimeOffset firstStartUtc, DateOnly today, DateTimeOffset now)
    {
        if (firstStartUtc - now < TimeSpan.FromHours(48))
            return new(totalCredits, "less than 48 hours before: counts as delivered");
        var workingDays = WorkingDays.Between(today, firstDate);
        if (workingDays >= FreeWorkingDays)
            return new(0, $"{workingDays} working days before: free");
        var charge = (int)Math.Ceiling(totalCredits * LateChargePercent / 100m);
        return new(charge, $"{workingDays} working days before: {LateChargePercent}% late-cancellation charge");
    }
}

/// <summary>
/// A school's booking of one offer: the version and tier price it was booked at, the quantity, the
/// credits held for it, and its history. The credits sit in a hold account of the ledger (owner: the
/// booking) until the booking is signed off (captured) or declined or cancelled (released).
/// </summary>
public class Booking
{
    private readonly List<BookingEvent> _events = [];

    private Booking() { }

    public Booking(Guid id, string reference, Guid schoolId, Guid offerId, Guid offerVersionId, Guid providerId, Guid sellerLaId, Tier? tier,
        int quantity, OfferUnit unit, int creditsPerUnit, IReadOnlyList<DateOnly> preferredDates, string? preferredTerm, Guid? practitionerId,
        string? purchaseOrderNumber, string? notes, Guid? byUserId, DateTimeOffset now, string requestKey, string requestHash)
    {
        RequestKey = requestKey;
        RequestHash = requestHash;
        if (quantity is < 1 or > 100) throw new DomainRuleException("booking.quantity", "Book between 1 and 100 at a time.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(creditsPerUnit);
        Id = id;
        Reference = reference;
        SchoolId = schoolId;
        OfferId = offerId;
        OfferVersionId = offerVersionId;
        ProviderId = providerId;
        SellerLaId = sellerLaId;
        Tier = tier;
        Quantity = quantity;
        Unit = unit;
        CreditsPerUnit = creditsPerUnit;
        TotalCredits = checked(quantity * creditsPerUnit);
        PreferredDates = preferredDates.Distinct().Order().ToList();
        PreferredTerm = string.IsNullOrWhiteSpace(preferredTerm) ? null : preferredTerm.Trim();
        PractitionerId = practitionerId;
        PurchaseOrderNumber = string.IsNullOrWhiteSpace(purchaseOrderNumber) ? null : purchaseOrderNumber.Trim();
        Notes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
        Status = BookingStatus.Requested;
        RequestedByUserId = byUserId;
        RequestedAt = now;
        _events.Add(new BookingEvent(Guid.NewGuid(), id, BookingEventKind.Requested, byUserId, now, $"{quantity} × {unit}, {TotalCredits} credits held"));
    }

    public Guid Id { get; private set; }

    /// <summary>What people quote on the phone and on invoices, e.g. "BK-7Q2M9X".</summary>
    public string Reference { get; private set; } = "";

    public Guid SchoolId { get; private set; }
    public Guid OfferId { get; private set; }
    public Guid OfferVersionId { get; private set; }
    public Guid ProviderId { get; private set; }

    /// <summary>The LA whose credits pay for it (the school's LA).</summary>
    public Guid SellerLaId { get; private set; }

    /// <summary>The school's tier when it booked (null without a subscription: the offer's list price).</summary>
    public Tier? Tier { get; private set; }

    public int Quantity { get; private set; }
    public OfferUnit Unit { get; private set; }
    public int CreditsPerUnit { get; private set; }
    public int TotalCredits { get; private set; }
    public List<DateOnly> PreferredDates { get; private set; } = [];
    public string? PreferredTerm { get; private set; }
    public Guid? PractitionerId { get; private set; }
    public List<DateOnly> ConfirmedDates { get; private set; } = [];
    public string? PurchaseOrderNumber { get; private set; }
    public string? Notes { get; private set; }
    public BookingStatus Status { get; private set; }
    public string? DeclineReason { get; private set; }
    public Guid? RequestedByUserId { get; private set; }

    /// <summary>The client's Idempotency-Key (scoped to the school) and a fingerprint of its request.</summary>
    public string RequestKey { get; private set; } = "";

    public string RequestHash { get; private set; } = "";
    public DateTimeOffset RequestedAt { get; private set; }
    public List<DateOnly> DeliveredDates { get; private set; } = [];
    public int? DeliveredQuantity { get; private set; }
    public int? DeliveredMinutes { get; private set; }
    public string? VisitNote { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }
    public string? DisputeReason { get; private set; }

    /// <summary>Credits that went to the provider's side (sign-off or a cancellation charge).</summary>
    public int CapturedCredits { get; private set; }

    public uint RowVersion { get; private set; }
    public IReadOnlyList<BookingEvent> Events => _events;

    /// <summary>The credits due for what was delivered: the delivered quantity at the booked price.</summary>
    public int DeliveredCredits => (DeliveredQuantity ?? 0) * CreditsPerUnit;

    /// <summary>The provider assigns a practitioner and dates; the database refuses a practitioner twice on one date.</summary>
    public void Confirm(Guid practitionerId, IReadOnlyList<DateOnly> dates, Guid? byUserId, DateTimeOffset now)
    {
        Ensure(BookingStatus.Requested, "confirmed");
        if (dates.Count == 0) throw new DomainRuleException("booking.dates", "Give the date or dates of the work.");
        PractitionerId = practitionerId;
        ConfirmedDates = dates.Distinct().Order().ToList();
        Status = BookingStatus.Confirmed;
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.Confirmed, byUserId, now,
            "Confirmed for " + string.Join(", ", ConfirmedDates.Select(d => d.ToString("d MMMM yyyy")))));
    }

    public void Decline(string reason, Guid? byUserId, DateTimeOffset now)
    {
        Ensure(BookingStatus.Requested, "declined");
        if (string.IsNullOrWhiteSpace(reason)) throw new DomainRuleException("booking.reason", "Give the school a reason.");
        DeclineReason = reason.Trim();
        Status = BookingStatus.Declined;
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.Declined, byUserId, now, DeclineReason));
    }

    /// <summary>The school withdraws a request the provider has not yet answered: free, the hold is released.</summary>
    public void CancelRequest(string? reason, Guid? byUserId, DateTimeOffset now)
    {
        Ensure(BookingStatus.Requested, "cancelled as a request");
        Status = BookingStatus.Cancelled;
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.Cancelled, byUserId, now, string.IsNullOrWhiteSpace(reason) ? "Cancelled by the school before it was confirmed" : reason.Trim()));
    }

    /// <summary>The provider records what was delivered (partial delivery allowed); the school then signs off or disputes.</summary>
    public void Deliver(IReadOnlyList<DateOnly> dates, int quantity, int minutes, string note, Guid? byUserId, DateTimeOffset now)
    {
        Ensure(BookingStatus.Confirmed, "marked delivered");
        if (quantity < 1 || quantity > Quantity) throw new DomainRuleException("booking.delivered-quantity", $"Delivered quantity is 1 to {Quantity}.");
        if (dates.Count == 0) throw new DomainRuleException("booking.dates", "Give the date or dates the work was done.");
        DeliveredDates = dates.Distinct().Order().ToList();
        DeliveredQuantity = quantity;
        DeliveredMinutes = minutes;
        VisitNote = note.Trim();
        DeliveredAt = now;
        Status = BookingStatus.Delivered;
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.Delivered, byUserId, now, $"{quantity} of {Quantity} delivered: {VisitNote}"));
    }

    public void SignOff(Guid? byUserId, DateTimeOffset now, string? note = null)
    {
        if (Status is not (BookingStatus.Delivered or BookingStatus.Disputed))
            throw new DomainRuleException("booking.state", $"This booking is {Status.ToString().ToLowerInvariant()}, so it cannot be signed off.");
        Status = BookingStatus.SignedOff;
        CapturedCredits = DeliveredCredits;
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.SignedOff, byUserId, now, note ?? $"Signed off: {DeliveredCredits} credits to the provider"));
    }

    public void Dispute(string reason, Guid? byUserId, DateTimeOffset now)
    {
        Ensure(BookingStatus.Delivered, "disputed");
        if (string.IsNullOrWhiteSpace(reason)) throw new DomainRuleException("booking.reason", "Say what is wrong.");
        DisputeReason = reason.Trim();
        Status = BookingStatus.Disputed;
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.Disputed, byUserId, now, DisputeReason));
    }

    /// <summary>Cancels a confirmed booking; the charge (zero when the provider cancels) goes to the provider, the rest back to the school.</summary>
    public void CancelConfirmed(bool byProvider, CancellationCharge charge, string? reason, Guid? byUserId, DateTimeOffset now)
    {
        Ensure(BookingStatus.Confirmed, "cancelled");
        Status = BookingStatus.Cancelled;
        CapturedCredits = byProvider ? 0 : Math.Min(charge.Credits, TotalCredits);
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.Cancelled, byUserId, now,
            (byProvider ? "Cancelled by the provider: free to the school" : $"Cancelled by the school, {charge.Rule}: {CapturedCredits} credits charged")
            + (string.IsNullOrWhiteSpace(reason) ? "" : $". {reason.Trim()}")));
    }

    private void Ensure(BookingStatus expected, string action)
    {
        if (Status != expected)
            throw new DomainRuleException("booking.state", $"This booking is {Status.ToString().ToLowerInvariant()}, so it cannot be {action}.");
    }
}

public class BookingEvent
{
    private BookingEvent() { }

    public BookingEvent(Guid id, Guid bookingId, BookingEventKind kind, Guid? byUserId, DateTimeOffset at, string? note)
    {
        Id = id;
        BookingId = bookingId;
        Kind = kind;
        ByUserId = byUserId;
        At = at;
        Note = note;
    }

    public Guid Id { get; private set; }
    public Guid BookingId { get; private set; }
    public BookingEventKind Kind { get; private set; }
    public Guid? ByUserId { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string? Note { get; private set; }
}

/// <summary>One practitioner on one date for one confirmed booking: the primary key makes double-booking impossible.</summary>
public class BookingSlot
{
    private BookingSlot() { }

    public BookingSlot(Guid practitionerId, DateOnly date, Guid bookingId)
    {
        PractitionerId = practitionerId;
        Date = date;
        BookingId = bookingId;
    }

    public Guid PractitionerId { get; private set; }
    public DateOnly Date { get; private set; }
    public Guid BookingId { get; private set; }
}
