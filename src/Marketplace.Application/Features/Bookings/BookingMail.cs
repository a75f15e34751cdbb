using Marketplace.Domain.Common;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Mail;
using Marketplace.Domain.Bookings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Application.Features.Bookings;

/// <summary>
/// The booking emails. <see cref="QueueAsync"/> only adds them to the outbox in the handler's unit of
/// work; the handler saves them with the change they report, so a message exists exactly when the
/// change commits. Confirmations and moves carry the booking's calendar invitation, a cancellation of
/// a confirmed booking its cancellation (<see cref="CalendarInvitation"/>).
/// </summary>
public sealed class BookingMail(MarketplaceDbContext db, Notifier notifier, TimeProvider clock, IOptions<MailOptions> options)
{
    /// <param name="fresh">The event is new (a booking just created): no earlier message can share its key, so skip the look-up.</param>
    public async Task QueueAsync(Booking booking, string @event, CancellationToken ct, string? keySuffix = null, bool fresh = false)
    {
        var names = await db.Schools.AsNoTracking().Where(s => s.Id == booking.SchoolId).Select(s => new
        {
            School = s.Name,
            Offer = db.OfferVersions.Where(v => v.Id == booking.OfferVersionId).Select(v => v.Title).Single(),
            Provider = db.Providers.Where(p => p.Id == booking.ProviderId).Select(p => p.Name).Single(),
            Practitioner = db.Practitioners.Where(p => p.Id == booking.PractitionerId).Select(p => p.Name).FirstOrDefault(),
        }).SingleAsync(ct);
        var key = $"booking-{@event}:{booking.Id:N}{(keySuffix is null ? "" : ":" + keySuffix)}";
        var what = $"{names.Offer} ({booking.Quantity:N0} × {DisplayNames.Lower(booking.Unit)}, {booking.PaymentSummary}), booking {booking.Reference}";
        switch (@event)
        {
            case "requested":
                await notifier.ToProviderAsync(booking.ProviderId, key, $"New booking request {booking.Reference} from {names.School}",
                    $"{names.School} has asked for {what}.\n\nPreferred dates: {Dates(booking.PreferredDates)}.\n{(booking.Notes is null ? "" : $"Notes: {booking.Notes}\n")}\nConfirm or decline it on your bookings page.", ct,
                    fresh: fresh);
                break;
            case "confirmed":
                var dates = booking.ConfirmedDates;
                await notifier.ToSchoolAsync(booking.SchoolId, key, $"Booking {booking.Reference} confirmed for {Dates(dates)}",
                    $"{names.Provider} has confirmed {what}.\n\nPractitioner: {names.Practitioner}\nDates: {Dates(dates)}\n\nThe calendar invitation is attached.", ct,
                    Invitation(booking, names.Offer, names.Provider, names.School,
                        $"Booking {booking.Reference} with {names.Provider}; practitioner {names.Practitioner}."));
                break;
            case "delivered":
                await notifier.ToSchoolAsync(booking.SchoolId, key, $"Booking {booking.Reference} delivered: please sign off",
                    $"{names.Provider} has recorded {booking.DeliveredQuantity} of {booking.Quantity} delivered for {what}.\n\nVisit note: {booking.VisitNote}\n\nSign it off or dispute it on your bookings page.", ct);
                break;
            case "reminder":
                await notifier.ToSchoolAsync(booking.SchoolId, key, $"Reminder: {names.Offer} on {Dates(booking.ConfirmedDates)}",
                    $"This is a reminder of {what} with {names.Practitioner} on {Dates(booking.ConfirmedDates)}.", ct);
                await notifier.ToProviderAsync(booking.ProviderId, key, $"Reminder: {booking.Reference} at {names.School} on {Dates(booking.ConfirmedDates)}",
                    $"This is a reminder of {what} at {names.School} with {names.Practitioner}.", ct);
                break;
            case "change-proposed":
                var change = booking.PendingChange!;
                var proposal = $"{(change.ProposedBy == BookingSide.School ? names.School : names.Provider)} proposes to move {what} from {Dates(booking.ConfirmedDates)} to {Dates(change.Dates)}.\n\nReason: {change.Reason}"
                    + (change.Late ? "\n\nThis is less than 48 hours before the booked start: the booking counts as delivered unless the provider accepts the change (which waives the 48-hour rule)." : "")
                    + "\n\nAccept or reject it on the booking's page.";
                if (change.ProposedBy == BookingSide.School)
                    await notifier.ToProviderAsync(booking.ProviderId, key, $"Change proposed to booking {booking.Reference}", proposal, ct);
                else
                    await notifier.ToSchoolAsync(booking.SchoolId, key, $"Change proposed to booking {booking.Reference}", proposal, ct);
                break;
            case "change-accepted":
                var moved = booking.ConfirmedDates;
                await notifier.ToSchoolAsync(booking.SchoolId, key, $"Booking {booking.Reference} moved to {Dates(moved)}",
                    $"{what} is now on {Dates(moved)} with {names.Practitioner}.\n\nThe updated calendar invitation is attached.", ct,
                    Invitation(booking, names.Offer, names.Provider, names.School,
                        $"Booking {booking.Reference} with {names.Provider}; practitioner {names.Practitioner}. Moved to {Dates(moved)}."));
                await notifier.ToProviderAsync(booking.ProviderId, key, $"Booking {booking.Reference} moved to {Dates(moved)}",
                    $"{what} at {names.School} is now on {Dates(moved)} with {names.Practitioner}.", ct);
                break;
            case "change-rejected":
                await notifier.ToSchoolAsync(booking.SchoolId, key, $"Proposed change to booking {booking.Reference} not accepted", $"{what}: {booking.Events[^1].Note}", ct);
                await notifier.ToProviderAsync(booking.ProviderId, key, $"Proposed change to booking {booking.Reference} not accepted", $"{what}: {booking.Events[^1].Note}", ct);
                break;
            case "disputed":
                await notifier.ToProviderAsync(booking.ProviderId, key, $"Booking {booking.Reference} disputed by {names.School}",
                    $"{names.School} disputes the delivery of {what}.\n\nReason: {booking.DisputeReason}\n\nThe local authority's commissioners will resolve it.", ct);
                await notifier.ToCommissionersAsync(booking.SellerLaId, key, $"Dispute to resolve: booking {booking.Reference}",
                    $"{names.School} disputes the delivery of {what} by {names.Provider}.\n\nReason: {booking.DisputeReason}\n\nResolve it on the disputes page.", ct);
                break;
            case "resolved":
                await notifier.ToSchoolAsync(booking.SchoolId, key, $"Dispute resolved: booking {booking.Reference}", $"{what}\n\n{booking.Events[^1].Note}", ct);
                await notifier.ToProviderAsync(booking.ProviderId, key, $"Dispute resolved: booking {booking.Reference}", $"{what}\n\n{booking.Events[^1].Note}", ct);
                break;
            default:
                var subject = $"Booking {booking.Reference} {(@event == "declined" ? "declined" : "cancelled")}";
                var body = $"{what} has been {(@event == "declined" ? "declined" : "cancelled")}.\n\n{booking.Events[^1].Note}";
                // A confirmed booking's school holds its calendar invitation: the cancellation withdraws it.
                var cancellation = @event == "cancelled" && booking.ConfirmedDates.Count > 0
                    ? Invitation(booking, names.Offer, names.Provider, names.School, $"Booking {booking.Reference} with {names.Provider} is cancelled.", cancelled: true)
                    : null;
                await notifier.ToSchoolAsync(booking.SchoolId, key, subject, body, ct, cancellation);
                await notifier.ToProviderAsync(booking.ProviderId, key, subject, body, ct);
                break;
        }
    }

    /// <summary>The booking's calendar entry: one UID for the booking's life, its SEQUENCE the number of moves (one more once cancelled).</summary>
    private Notifier.Attachment Invitation(Booking booking, string offer, string provider, string school, string description, bool cancelled = false)
    {
        var moves = booking.Changes.Count(c => c.Status == BookingChangeStatus.Accepted);
        var entry = new CalendarInvitation.Entry($"{booking.Id:N}@marketplace", moves + (cancelled ? 1 : 0), booking.ConfirmedDates, $"{offer} ({provider})",
            description, school, provider, options.Value.FromAddress, clock.GetUtcNow());
        return new Notifier.Attachment($"booking-{booking.Reference}.ics", CalendarInvitation.ContentType(cancelled), CalendarInvitation.Write(entry, cancelled));
    }

    private static string Dates(IReadOnlyList<DateOnly> dates) =>
        dates.Count == 0 ? "none given" : string.Join(", ", dates.Select(d => d.ToString("dddd d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"))));
}
