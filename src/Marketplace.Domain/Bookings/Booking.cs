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

    /// <summary>A dispute settled by the LA's commissioners (what they agreed is charged, the rest released).</summary>
    Resolved,
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
    ChangeProposed,
    ChangeAccepted,
    ChangeRejected,
    ChangeWithdrawn,
    LateRuleWaived,
    DisputeResolved,
}

public enum BookingSide
{
    School,
    Provider,
}

/// <summary>
/// How a booking is paid, unit by unit, in this order: the tier's included adviser sessions, then
/// credits (held at request), then pounds at the offer's pay-as-you-use price (invoiced later).
/// </summary>
public sealed record BookingPayment(int SessionUnits, int CreditUnits, int PoundUnits, int CreditsPerUnit, long PencePerUnit, Guid? SessionSubscriptionId)
{
    public int Quantity => SessionUnits + CreditUnits + PoundUnits;

    public static BookingPayment InCredits(int quantity, int creditsPerUnit) => new(0, quantity, 0, creditsPerUnit, 0, null);
}

/// <summary>What a delivered (or agreed) quantity costs, consuming units in the order they were paid for.</summary>
public sealed record BookingCharge(int SessionsUsed, int Credits, long Pence);

/// <summary>What a cancellation costs the school, by the offer's terms (see <see cref="CancellationTerms"/>): a percentage of the booking.</summary>
public sealed record CancellationCharge(int Credits, string Rule, int Percent);

/// <summary>
/// Cancelling a confirmed booking: free up to <see cref="FreeWorkingDays"/> working days before the
/// first date; later, <see cref="LateChargePercent"/>% of the credits; under 48 hours before, the booking
/// counts as delivered (charged in full) unless the provider has waived that rule, when the late charge
/// applies. Cancellation by the provider is always free to the school.
/// </summary>
public sealed record CancellationTerms(int FreeWorkingDays = 10, int LateChargePercent = 50)
{
    public static readonly CancellationTerms Default = new();

    public static bool WithinFortyEightHours(DateTimeOffset firstStartUtc, DateTimeOffset now) => firstStartUtc - now < TimeSpan.FromHours(48);

    public CancellationCharge ChargeFor(int totalCredits, DateOnly firstDate, DateTimeOffset firstStartUtc, DateOnly today, DateTimeOffset now, bool lateRuleWaived = false)
    {
        if (WithinFortyEightHours(firstStartUtc, now) && !lateRuleWaived)
            return new(totalCredits, "less than 48 hours before: counts as delivered", 100);
        var workingDays = WorkingDays.Between(today, firstDate);
        if (workingDays >= FreeWorkingDays)
            return new(0, $"{workingDays} working days before: free", 0);
        var charge = Percent(totalCredits, LateChargePercent);
        return new(charge, $"{workingDays} working days before{(lateRuleWaived && WithinFortyEightHours(firstStartUtc, now) ? " (48-hour rule waived by the provider)" : "")}: {LateChargePercent}% late-cancellation charge", LateChargePercent);
    }

    /// <summary>A percentage of an amount, rounded up to a whole unit.</summary>
    public static int Percent(int amount, int percent) => (int)Math.Ceiling(amount * percent / 100m);

    public static long Percent(long amount, int percent) => (long)Math.Ceiling(amount * percent / 100m);
}

/// <summary>
/// A school's booking of one offer: the version and tier price it was booked at, the quantity, the
/// credits held for it, and its history. The credits sit in a hold account of the ledger (owner: the
/// booking) until the booking is signed off (captured) or declined or cancelled (released).
/// </summary>
public class Booking
{
    private readonly List<BookingEvent> _events = [];
    private readonly List<BookingChange> _changes = [];

    private Booking() { }

    public Booking(Guid id, string reference, Guid schoolId, Guid offerId, Guid offerVersionId, Guid providerId, Guid sellerLaId, Tier? tier,
        int quantity, OfferUnit unit, int creditsPerUnit, IReadOnlyList<DateOnly> preferredDates, string? preferredTerm, Guid? practitionerId,
        string? purchaseOrderNumber, string? notes, Guid? byUserId, DateTimeOffset now, string requestKey, string requestHash)
        : this(id, reference, schoolId, offerId, offerVersionId, providerId, sellerLaId, tier, unit, BookingPayment.InCredits(quantity, creditsPerUnit),
            preferredDates, preferredTerm, practitionerId, purchaseOrderNumber, notes, byUserId, now, requestKey, requestHash)
    {
    }

    public Booking(Guid id, string reference, Guid schoolId, Guid offerId, Guid offerVersionId, Guid providerId, Guid sellerLaId, Tier? tier,
        OfferUnit unit, BookingPayment payment, IReadOnlyList<DateOnly> preferredDates, string? preferredTerm, Guid? practitionerId,
        string? purchaseOrderNumber, string? notes, Guid? byUserId, DateTimeOffset now, string requestKey, string requestHash)
    {
        RequestKey = requestKey;
        RequestHash = requestHash;
        var quantity = payment.Quantity;
        var creditsPerUnit = payment.CreditsPerUnit;
        if (quantity is < 1 or > 100) throw new DomainRuleException("booking.quantity", "Book between 1 and 100 at a time.");
        if (payment.SessionUnits < 0 || payment.CreditUnits < 0 || payment.PoundUnits < 0 || payment.PencePerUnit < 0)
            throw new ArgumentOutOfRangeException(nameof(payment));
        ArgumentOutOfRangeException.ThrowIfNegative(creditsPerUnit);
        SessionUnits = payment.SessionUnits;
        SessionsCounted = payment.SessionUnits;
        SessionSubscriptionId = payment.SessionUnits > 0 ? payment.SessionSubscriptionId ?? throw new ArgumentException("Sessions need their subscription.", nameof(payment)) : null;
        CreditUnits = payment.CreditUnits;
        PoundUnits = payment.PoundUnits;
        PencePerUnit = payment.PencePerUnit;
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
        TotalCredits = checked(payment.CreditUnits * creditsPerUnit);
        PreferredDates = preferredDates.Distinct().Order().ToList();
        PreferredTerm = string.IsNullOrWhiteSpace(preferredTerm) ? null : preferredTerm.Trim();
        PractitionerId = practitionerId;
        PurchaseOrderNumber = string.IsNullOrWhiteSpace(purchaseOrderNumber) ? null : purchaseOrderNumber.Trim();
        Notes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
        Status = BookingStatus.Requested;
        RequestedByUserId = byUserId;
        RequestedAt = now;
        _events.Add(new BookingEvent(Guid.NewGuid(), id, BookingEventKind.Requested, byUserId, now, $"{quantity} × {unit}: {PaymentSummary}"));
    }

    /// <summary>How the booking is paid, in words: "1 included adviser session, 6 credits held, £450.00 to pay in pounds".</summary>
    public string PaymentSummary
    {
        get
        {
            var parts = new List<string>();
            if (SessionUnits > 0) parts.Add($"{SessionUnits} included adviser session{(SessionUnits == 1 ? "" : "s")}");
            if (CreditUnits > 0 || parts.Count == 0) parts.Add($"{TotalCredits} credits held");
            if (PoundUnits > 0) parts.Add($"{Money.Format(PoundUnits * PencePerUnit)} to pay in pounds");
            return string.Join(", ", parts);
        }
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

    /// <summary>Credits held at request: <see cref="CreditUnits"/> × <see cref="CreditsPerUnit"/>.</summary>
    public int TotalCredits { get; private set; }

    /// <summary>Units taken from the tier's included adviser sessions (used first).</summary>
    public int SessionUnits { get; private set; }

    /// <summary>The subscription whose included sessions this booking draws on.</summary>
    public Guid? SessionSubscriptionId { get; private set; }

    /// <summary>Sessions this booking counts against the subscription: all of them while open, those used once settled.</summary>
    public int SessionsCounted { get; private set; }

    /// <summary>Units paid in credits (second).</summary>
    public int CreditUnits { get; private set; }

    /// <summary>Units paid in pounds at <see cref="PencePerUnit"/> (last, where the offer allows it).</summary>
    public int PoundUnits { get; private set; }

    public long PencePerUnit { get; private set; }

    /// <summary>Pounds owed for what was delivered or charged, for the invoicing run (pence).</summary>
    public long PenceDue { get; private set; }

    /// <summary>The quantity charged when settled (signed off, resolved, or a cancellation charge in full).</summary>
    public int? ChargedQuantity { get; private set; }

    /// <summary>The provider waived the 48-hour rule: a late cancellation is charged at the late rate, a late change allowed.</summary>
    public bool LateRuleWaived { get; private set; }

    public string? ResolutionNote { get; private set; }
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
    public IReadOnlyList<BookingChange> Changes => _changes;

    /// <summary>The credits due for what was delivered: the delivered quantity at the booked price, after any included sessions.</summary>
    public int DeliveredCredits => ChargeOf(DeliveredQuantity ?? 0).Credits;

    /// <summary>The first booked date (confirmed, otherwise the first preferred date).</summary>
    public DateOnly? FirstDate => ConfirmedDates.Count > 0 ? ConfirmedDates[0] : null;

    /// <summary>What <paramref name="quantity"/> units cost, by <see cref="BookingPaymentRule"/>: sessions, then credit units, then pound units.</summary>
    public BookingCharge ChargeOf(int quantity) => BookingPaymentRule.Charge(PaidBy(), quantity);

    /// <summary>How the booking was paid at request (a method, not a property, so EF Core does not map it).</summary>
    private BookingPayment PaidBy() => new(SessionUnits, CreditUnits, PoundUnits, CreditsPerUnit, PencePerUnit, SessionSubscriptionId);

    /// <summary>Settles the booking at <paramref name="charge"/>: captured credits, pounds due and sessions counted.</summary>
    private void Settle(BookingCharge charge)
    {
        CapturedCredits = Math.Min(charge.Credits, TotalCredits);
        PenceDue = charge.Pence;
        SessionsCounted = charge.SessionsUsed;
    }

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
        Settle(new(0, 0, 0));
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.Declined, byUserId, now, DeclineReason));
    }

    /// <summary>The school withdraws a request the provider has not yet answered: free, the hold is released.</summary>
    public void CancelRequest(string? reason, Guid? byUserId, DateTimeOffset now)
    {
        Ensure(BookingStatus.Requested, "cancelled as a request");
        Status = BookingStatus.Cancelled;
        Settle(new(0, 0, 0));
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.Cancelled, byUserId, now, string.IsNullOrWhiteSpace(reason) ? "Cancelled by the school before it was confirmed" : reason.Trim()));
    }

    /// <summary>The provider records what was delivered (partial delivery allowed); the school then signs off or disputes.</summary>
    public void Deliver(IReadOnlyList<DateOnly> dates, int quantity, int minutes, string note, Guid? byUserId, DateTimeOffset now)
    {
        Ensure(BookingStatus.Confirmed, "marked delivered");
        CloseChanges(now);
        if (quantity < 1 || quantity > Quantity) throw new DomainRuleException("booking.delivered-quantity", $"Delivered quantity is 1 to {Quantity}.");
        if (dates.Count == 0) throw new DomainRuleException("booking.dates", "Give the date or dates the work was done.");
        // Delivery is recorded against what was agreed: only on the dates the booking is confirmed for (a change accepted moves them).
        if (dates.Any(d => !ConfirmedDates.Contains(d)))
            throw new DomainRuleException("booking.delivery-dates",
                $"Record delivery only for the dates the booking is confirmed for: {FormatDates(ConfirmedDates)}.");
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
            throw new DomainRuleException("booking.state", $"This booking is {DisplayNames.Lower(Status)}, so it cannot be signed off.");
        CloseChanges(now);
        Status = BookingStatus.SignedOff;
        ChargedQuantity = DeliveredQuantity ?? 0;
        Settle(ChargeOf(ChargedQuantity.Value));
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.SignedOff, byUserId, now, note ?? $"Signed off: {DescribeSettlement()}"));
    }

    /// <summary>
    /// What settling the dispute at <paramref name="chargedQuantity"/> takes, by <see cref="ChargeOf"/> (sessions, then credits,
    /// then pounds), after the refusals <see cref="ResolveDispute"/> meets; a check page shows exactly what the resolution settles.
    /// </summary>
    public BookingCharge ResolutionSettlement(int chargedQuantity)
    {
        Ensure(BookingStatus.Disputed, "resolved");
        if (chargedQuantity < 0 || chargedQuantity > (DeliveredQuantity ?? 0))
            throw new DomainRuleException("booking.resolution", $"Charge between 0 and {DeliveredQuantity ?? 0} (what the provider recorded as delivered).");
        var charge = ChargeOf(chargedQuantity);
        return charge with { Credits = Math.Min(charge.Credits, TotalCredits) };
    }

    /// <summary>The LA's commissioners settle a dispute: <paramref name="chargedQuantity"/> of what was delivered is charged, the rest released.</summary>
    public void ResolveDispute(int chargedQuantity, string note, Guid? byUserId, DateTimeOffset now)
    {
        var charge = ResolutionSettlement(chargedQuantity);
        if (string.IsNullOrWhiteSpace(note)) throw new DomainRuleException("booking.resolution", "Record why the dispute was settled this way.");
        Status = BookingStatus.Resolved;
        ChargedQuantity = chargedQuantity;
        ResolutionNote = note.Trim();
        Settle(charge);
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.DisputeResolved, byUserId, now,
            $"Resolved by the local authority: {chargedQuantity} of {DeliveredQuantity} charged ({DescribeSettlement()}). {ResolutionNote}"));
    }

    public string DescribeSettlement()
    {
        var parts = new List<string>();
        if (SessionsCounted > 0) parts.Add($"{SessionsCounted} included session{(SessionsCounted == 1 ? "" : "s")} used");
        parts.Add($"{CapturedCredits} credits to the provider");
        if (PenceDue > 0) parts.Add($"{Money.Format(PenceDue)} to pay in pounds");
        return string.Join(", ", parts);
    }

    public void Dispute(string reason, Guid? byUserId, DateTimeOffset now)
    {
        Ensure(BookingStatus.Delivered, "disputed");
        if (string.IsNullOrWhiteSpace(reason)) throw new DomainRuleException("booking.reason", "Say what is wrong.");
        DisputeReason = reason.Trim();
        Status = BookingStatus.Disputed;
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.Disputed, byUserId, now, DisputeReason));
    }

    /// <summary>
    /// What cancelling this confirmed booking takes, by <see cref="BookingPaymentRule.Cancellation"/>: the charge's share
    /// of the credits held and of the pounds, or nothing when the provider cancels. <see cref="CancelConfirmed"/> settles
    /// exactly this, so a check page showing it cannot disagree with the cancellation.
    /// </summary>
    public BookingCharge CancellationSettlement(bool byProvider, CancellationCharge charge)
    {
        var settled = BookingPaymentRule.Cancellation(PaidBy(), byProvider ? 0 : charge.Percent);
        return settled with { Credits = Math.Min(settled.Credits, TotalCredits) };
    }

    /// <summary>Cancels a confirmed booking; the charge (zero when the provider cancels) goes to the provider, the rest back to the school.</summary>
    public void CancelConfirmed(bool byProvider, CancellationCharge charge, string? reason, Guid? byUserId, DateTimeOffset now)
    {
        Ensure(BookingStatus.Confirmed, "cancelled");
        CloseChanges(now);
        Status = BookingStatus.Cancelled;
        if (!byProvider && charge.Percent >= 100) ChargedQuantity = Quantity;
        Settle(CancellationSettlement(byProvider, charge));
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.Cancelled, byUserId, now,
            (byProvider ? "Cancelled by the provider: free to the school" : $"Cancelled by the school, {charge.Rule}: {DescribeSettlement()}")
            + (string.IsNullOrWhiteSpace(reason) ? "" : $". {reason.Trim()}")));
    }

    public BookingChange? PendingChange => _changes.FirstOrDefault(c => c.Status == BookingChangeStatus.Pending);

    /// <summary>
    /// Either side proposes new dates (and, the provider, another practitioner) for a confirmed booking;
    /// the other side accepts or rejects. A school's change less than 48 hours before the booked start is
    /// late: only the provider can let it through, by accepting it (which waives the 48-hour rule).
    /// </summary>
    public BookingChange ProposeChange(BookingSide by, IReadOnlyList<DateOnly> dates, Guid? practitionerId, string reason, bool late, Guid? byUserId, DateTimeOffset now)
    {
        Ensure(BookingStatus.Confirmed, "changed");
        if (PendingChange is not null)
            throw new DomainRuleException("booking.change-pending", "A change is already waiting for an answer. Withdraw it or answer it first.");
        if (dates.Count == 0) throw new DomainRuleException("booking.dates", "Give the new date or dates.");
        if (by == BookingSide.School && practitionerId is not null && practitionerId != PractitionerId)
            throw new DomainRuleException("booking.change-practitioner", "Only the provider can change the practitioner.");
        var change = new BookingChange(Guid.NewGuid(), Id, by, dates.Distinct().Order().ToList(), practitionerId ?? PractitionerId, reason.Trim(), late && by == BookingSide.School, byUserId, now);
        _changes.Add(change);
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.ChangeProposed, byUserId, now,
            $"The {(by == BookingSide.School ? "school" : "provider")} proposed {FormatDates(change.Dates)}{(change.Late ? " (less than 48 hours before the booked start)" : "")}: {change.Reason}"));
        return change;
    }

    /// <summary>The other side accepts: the booking moves to the proposed dates (the caller moves the practitioner's slots).</summary>
    public BookingChange AcceptChange(Guid changeId, BookingSide by, Guid? byUserId, DateTimeOffset now)
    {
        var change = Pending(changeId);
        if (change.ProposedBy == by) throw new DomainRuleException("booking.change-own", "The other side answers a proposed change; you can withdraw your own.");
        change.Answer(BookingChangeStatus.Accepted, null, byUserId, now);
        if (change.Late) LateRuleWaived = true;
        ConfirmedDates = change.Dates.ToList();
        PractitionerId = change.PractitionerId;
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.ChangeAccepted, byUserId, now,
            $"Moved to {FormatDates(ConfirmedDates)}{(change.Late ? "; the provider waived the 48-hour rule" : "")}"));
        return change;
    }

    public void RejectChange(Guid changeId, BookingSide by, string? note, Guid? byUserId, DateTimeOffset now)
    {
        var change = Pending(changeId);
        if (change.ProposedBy == by) throw new DomainRuleException("booking.change-own", "The other side answers a proposed change; you can withdraw your own.");
        change.Answer(BookingChangeStatus.Rejected, note, byUserId, now);
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.ChangeRejected, byUserId, now,
            "The booking stays on " + FormatDates(ConfirmedDates) + (string.IsNullOrWhiteSpace(note) ? "" : $": {note.Trim()}")));
    }

    public void WithdrawChange(Guid changeId, BookingSide by, Guid? byUserId, DateTimeOffset now)
    {
        var change = Pending(changeId);
        if (change.ProposedBy != by) throw new DomainRuleException("booking.change-own", "Only the side that proposed a change can withdraw it.");
        change.Answer(BookingChangeStatus.Withdrawn, null, byUserId, now);
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.ChangeWithdrawn, byUserId, now, "Proposed change withdrawn"));
    }

    /// <summary>The provider lets the school cancel or move within 48 hours without it counting as delivered.</summary>
    public void WaiveLateRule(string? note, Guid? byUserId, DateTimeOffset now)
    {
        Ensure(BookingStatus.Confirmed, "given a waiver");
        if (LateRuleWaived) throw new DomainRuleException("booking.waived", "The 48-hour rule is already waived for this booking.");
        LateRuleWaived = true;
        _events.Add(new BookingEvent(Guid.NewGuid(), Id, BookingEventKind.LateRuleWaived, byUserId, now,
            "The provider waived the 48-hour rule" + (string.IsNullOrWhiteSpace(note) ? "" : $": {note.Trim()}")));
    }

    private BookingChange Pending(Guid changeId)
    {
        Ensure(BookingStatus.Confirmed, "changed");
        var change = _changes.FirstOrDefault(c => c.Id == changeId) ?? throw new DomainRuleException("booking.change-unknown", "There is no such proposed change on this booking.");
        if (change.Status != BookingChangeStatus.Pending)
            throw new DomainRuleException("booking.change-answered", $"That change was already {DisplayNames.Lower(change.Status)}.");
        return change;
    }

    /// <summary>A proposal still open when the booking moves on lapses (withdrawn by the system).</summary>
    private void CloseChanges(DateTimeOffset now)
    {
        foreach (var c in _changes.Where(c => c.Status == BookingChangeStatus.Pending)) c.Answer(BookingChangeStatus.Withdrawn, "The booking moved on", null, now);
    }

    private static string FormatDates(IEnumerable<DateOnly> dates) => string.Join(", ", dates.Select(d => d.ToString("d MMMM yyyy")));

    private void Ensure(BookingStatus expected, string action)
    {
        if (Status != expected)
            throw new DomainRuleException("booking.state", $"This booking is {DisplayNames.Lower(Status)}, so it cannot be {action}.");
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

public enum BookingChangeStatus
{
    Pending,
    Accepted,
    Rejected,
    Withdrawn,
}

/// <summary>A proposal by one side to move a confirmed booking, and its answer.</summary>
public class BookingChange
{
    private BookingChange() { }

    internal BookingChange(Guid id, Guid bookingId, BookingSide proposedBy, List<DateOnly> dates, Guid? practitionerId, string reason, bool late, Guid? byUserId, DateTimeOffset now)
    {
        Id = id;
        BookingId = bookingId;
        ProposedBy = proposedBy;
        Dates = dates;
        PractitionerId = practitionerId;
        Reason = reason;
        Late = late;
        ProposedByUserId = byUserId;
        ProposedAt = now;
        Status = BookingChangeStatus.Pending;
    }

    public Guid Id { get; private set; }
    public Guid BookingId { get; private set; }
    public BookingSide ProposedBy { get; private set; }
    public List<DateOnly> Dates { get; private set; } = [];
    public Guid? PractitionerId { get; private set; }
    public string Reason { get; private set; } = "";

    /// <summary>Proposed by the school less than 48 hours before the booked start.</summary>
    public bool Late { get; private set; }

    public Guid? ProposedByUserId { get; private set; }
    public DateTimeOffset ProposedAt { get; private set; }
    public BookingChangeStatus Status { get; private set; }
    public string? AnswerNote { get; private set; }
    public Guid? AnsweredByUserId { get; private set; }
    public DateTimeOffset? AnsweredAt { get; private set; }

    internal void Answer(BookingChangeStatus status, string? note, Guid? byUserId, DateTimeOffset now)
    {
        Status = status;
        AnswerNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        AnsweredByUserId = byUserId;
        AnsweredAt = now;
    }
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
