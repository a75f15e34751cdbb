using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;

namespace Marketplace.Application.Features.Bookings;

public sealed record BookingEventView(BookingEventKind Kind, DateTimeOffset At, string? Note);

public sealed record BookingView(Guid Id, string Reference, int Urn, string School, Guid OfferId, string OfferTitle, Guid ProviderId, string Provider,
    Tier? Tier, int Quantity, OfferUnit Unit, int CreditsPerUnit, int TotalCredits, long CreditsHeld, IReadOnlyList<DateOnly> PreferredDates,
    string? PreferredTerm, Guid? PractitionerId, IReadOnlyList<DateOnly> ConfirmedDates, string? PurchaseOrderNumber, string? Notes,
    BookingStatus Status, string? DeclineReason, DateTimeOffset RequestedAt, IReadOnlyList<DateOnly> DeliveredDates, int? DeliveredQuantity,
    int? DeliveredMinutes, string? VisitNote, string? DisputeReason, int CapturedCredits, IReadOnlyList<BookingEventView> History)
{
    public string? Practitioner { get; init; }
    public BookingPaymentView Payment { get; init; } = null!;
    public IReadOnlyList<BookingChangeView> Changes { get; init; } = [];
    public bool LateRuleWaived { get; init; }
    public int FreeCancellationWorkingDays { get; init; }
    public int LateCancellationPercent { get; init; }
    public string? ResolutionNote { get; init; }
}

/// <summary>How the booking is paid (included sessions, then credits, then pounds) and, once settled, what was charged.</summary>
public sealed record BookingPaymentView(int SessionUnits, int CreditUnits, int PoundUnits, long PencePerUnit, string Summary,
    int? ChargedQuantity, int SessionsUsed, int CreditsCaptured, long PenceDue);

public sealed record BookingChangeView(Guid Id, BookingSide ProposedBy, IReadOnlyList<DateOnly> Dates, Guid? PractitionerId, string Reason, bool Late,
    DateTimeOffset ProposedAt, BookingChangeStatus Status, string? AnswerNote, DateTimeOffset? AnsweredAt);

public sealed record BookingSummary(Guid Id, string Reference, string OfferTitle, string Provider, int Quantity, OfferUnit Unit, int TotalCredits,
    BookingStatus Status, IReadOnlyList<DateOnly> ConfirmedDates, DateTimeOffset RequestedAt);

public sealed record ProviderBookingSummary(Guid Id, string Reference, string School, string OfferTitle, int Quantity, OfferUnit Unit, int TotalCredits,
    BookingStatus Status, IReadOnlyList<DateOnly> PreferredDates, IReadOnlyList<DateOnly> ConfirmedDates, DateTimeOffset RequestedAt);

public sealed record DisputeSummary(Guid Id, string Reference, int Urn, string School, string Provider, string OfferTitle, int Quantity, OfferUnit Unit,
    int? DeliveredQuantity, IReadOnlyList<DateOnly> DeliveredDates, string? VisitNote, string? DisputeReason, DateTimeOffset? DisputedAt,
    BookingStatus Status, int? ChargedQuantity, string? ResolutionNote);

public sealed record SchoolBookingSettings(int Urn, bool RequiresPurchaseOrder);
