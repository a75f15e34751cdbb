using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Marketplace.Application.Mail;

/// <summary>
/// The iCalendar (RFC 5545) invitation attached to a booking's confirmation, move and cancellation
/// emails, written with Ical.Net. One booking is one calendar entry for its whole life: the UID is the
/// booking's, and SEQUENCE rises each time it moves, so a calendar replaces the old dates instead of
/// adding new ones; a cancellation is METHOD:CANCEL with the same UID. Consecutive dates are one
/// all-day event across them; dates with gaps are one VEVENT per date (the first holds the others as
/// RDATEs, each other date is the instance named by its RECURRENCE-ID), still under the one UID.
/// </summary>
public static class CalendarInvitation
{
    public sealed record Entry(string Uid, int Sequence, IReadOnlyList<DateOnly> Dates, string Summary, string Description, string Location,
        string OrganizerName, string OrganizerEmail, DateTimeOffset Stamp);

    public static string ContentType(bool cancelled) => $"text/calendar; method={Method(cancelled)}; charset=utf-8";

    public static string Write(Entry entry, bool cancelled = false)
    {
        var dates = entry.Dates.Distinct().Order().ToList();
        if (dates.Count == 0) throw new ArgumentException("An invitation needs at least one date.", nameof(entry));
        var calendar = new Calendar { ProductId = "-//Marketplace//School improvement bookings//EN", Method = Method(cancelled) };
        var consecutive = dates[^1].DayNumber - dates[0].DayNumber == dates.Count - 1;
        if (consecutive)
            calendar.Events.Add(Event(entry, dates[0], dates[^1], cancelled));
        else
        {
            var first = Event(entry, dates[0], dates[0], cancelled);
            first.RecurrenceDates.AddRange(dates.Skip(1).Select(d => new CalDateTime(d)));
            calendar.Events.Add(first);
            foreach (var d in dates.Skip(1))
            {
                var instance = Event(entry, d, d, cancelled);
                instance.RecurrenceIdentifier = new RecurrenceIdentifier(new CalDateTime(d), null);
                calendar.Events.Add(instance);
            }
        }
        return new CalendarSerializer().SerializeToString(calendar) ?? throw new InvalidOperationException("The invitation could not be written.");
    }

    private static string Method(bool cancelled) => cancelled ? "CANCEL" : "PUBLISH";

    private static CalendarEvent Event(Entry entry, DateOnly from, DateOnly to, bool cancelled) => new()
    {
        Uid = entry.Uid,
        Sequence = entry.Sequence,
        DtStamp = new CalDateTime(entry.Stamp.UtcDateTime, CalDateTime.UtcTzId, true),
        DtStart = new CalDateTime(from),
        DtEnd = new CalDateTime(to.AddDays(1)), // all-day events end on the (exclusive) next day
        Summary = entry.Summary,
        Description = entry.Description,
        Location = entry.Location,
        Organizer = new Organizer($"mailto:{entry.OrganizerEmail}") { CommonName = entry.OrganizerName },
        Status = cancelled ? "CANCELLED" : "CONFIRMED",
        Transparency = "OPAQUE",
    };
}
