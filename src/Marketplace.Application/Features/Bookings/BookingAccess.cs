using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Bookings;

internal static class BookingAccess
{
    /// <summary>The booking, tracked, for the school's buyers, the provider, the school's LA's commissioners and admins; otherwise 404.</summary>
    public static async Task<Booking> FindAsync(MarketplaceDbContext db, ICurrentUser user, Guid id, CancellationToken ct)
    {
        var booking = await db.Bookings.Include(b => b.Events).Include(b => b.Changes).AsSplitQuery().SingleOrDefaultAsync(b => b.Id == id, ct)
            ?? throw new NotFoundException("Booking", id);
        if (!user.IsAdmin() && !user.IsBuyerFor(booking.SchoolId) && !user.IsProviderUserOf(booking.ProviderId) && !user.IsCommissionerOf(booking.SellerLaId))
            throw new NotFoundException("Booking", id);
        return booking;
    }

    /// <summary>
    /// The booking as <see cref="FindAsync"/> finds it, with the side the caller is on, for answering one of
    /// its proposed changes: a change the booking does not have is a 404.
    /// </summary>
    public static async Task<(Booking Booking, BookingSide Side)> FindForChangeAsync(MarketplaceDbContext db, ICurrentUser user, Guid id, Guid changeId,
        CancellationToken ct)
    {
        var booking = await FindAsync(db, user, id, ct);
        if (booking.Changes.All(c => c.Id != changeId)) throw new NotFoundException("Proposed change", changeId);
        return (booking, SideOf(user, booking));
    }

    /// <summary>Work on a booked date is taken to start at 09:00 UK time for the 48-hour rule.</summary>
    public static readonly TimeSpan DayStarts = TimeSpan.FromHours(9);

    /// <summary>When work on <paramref name="day"/> starts, for the 48-hour rule.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => UkClock.StartOf(day) + DayStarts;

    public static Task<CancellationTerms> TermsAsync(MarketplaceDbContext db, Booking booking, CancellationToken ct) =>
        db.OfferVersions.Where(v => v.Id == booking.OfferVersionId)
            .Select(v => new CancellationTerms(v.FreeCancellationWorkingDays, v.LateCancellationPercent)).SingleAsync(ct);

    /// <summary>Which side the caller is on (admins act for the provider unless they are the school's buyer).</summary>
    public static BookingSide SideOf(ICurrentUser user, Booking booking) =>
        user.IsBuyerFor(booking.SchoolId) ? BookingSide.School
        : user.IsProviderUserOf(booking.ProviderId) || user.IsAdmin() ? BookingSide.Provider
        : throw new ForbiddenException("Only the school or the provider can do this.");

    public static async Task<BookingView> ViewAsync(MarketplaceDbContext db, Guid id, CancellationToken ct)
    {
        var b = await db.Bookings.AsNoTracking().Include(x => x.Events).Include(x => x.Changes).AsSplitQuery().SingleAsync(x => x.Id == id, ct);
        var names = await db.Schools.AsNoTracking().Where(s => s.Id == b.SchoolId).Select(s => new
        {
            s.Urn, School = s.Name,
            Offer = db.OfferVersions.Where(v => v.Id == b.OfferVersionId).Select(v => v.Title).Single(),
            Provider = db.Providers.Where(p => p.Id == b.ProviderId).Select(p => p.Name).Single(),
            Practitioner = db.Practitioners.Where(p => p.Id == b.PractitionerId).Select(p => p.Name).SingleOrDefault(),
            Terms = db.OfferVersions.Where(v => v.Id == b.OfferVersionId).Select(v => new { v.FreeCancellationWorkingDays, v.LateCancellationPercent }).Single(),
            Held = db.LedgerAccounts.Where(a => a.Kind == Domain.Credits.LedgerAccountKind.BookingHold && a.OwnerId == b.Id).Select(a => a.Balance).SingleOrDefault(),
        }).SingleAsync(ct);
        return new BookingView(b.Id, b.Reference, names.Urn, names.School, b.OfferId, names.Offer, b.ProviderId, names.Provider, b.Tier, b.Quantity, b.Unit,
            b.CreditsPerUnit, b.TotalCredits, names.Held ?? 0, b.PreferredDates, b.PreferredTerm, b.PractitionerId, b.ConfirmedDates, b.PurchaseOrderNumber,
            b.Notes, b.Status, b.DeclineReason, b.RequestedAt, b.DeliveredDates, b.DeliveredQuantity, b.DeliveredMinutes, b.VisitNote, b.DisputeReason,
            b.CapturedCredits, b.Events.OrderBy(e => e.At).Select(e => new BookingEventView(e.Kind, e.At, e.Note)).ToList())
        {
            Practitioner = names.Practitioner,
            Payment = new BookingPaymentView(b.SessionUnits, b.CreditUnits, b.PoundUnits, b.PencePerUnit, b.PaymentSummary, b.ChargedQuantity,
                b.SessionsCounted, b.CapturedCredits, b.PenceDue),
            Changes = b.Changes.OrderBy(c => c.ProposedAt).Select(c => new BookingChangeView(c.Id, c.ProposedBy, c.Dates, c.PractitionerId, c.Reason, c.Late,
                c.ProposedAt, c.Status, c.AnswerNote, c.AnsweredAt)).ToList(),
            LateRuleWaived = b.LateRuleWaived,
            FreeCancellationWorkingDays = names.Terms.FreeCancellationWorkingDays,
            LateCancellationPercent = names.Terms.LateCancellationPercent,
            ResolutionNote = b.ResolutionNote,
        };
    }
}
