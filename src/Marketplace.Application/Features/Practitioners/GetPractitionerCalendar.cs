using System.Globalization;
using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Common;
using Marketplace.Domain.Organisations;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Marketplace.Application.Features.Practitioners;

/// <summary>
/// A practitioner's calendar, day by day: booked (with the booking), away, not working, bank holiday, school holiday
/// or INSET day (in the provider's LA's terms: not available for term-time work), or free.
/// </summary>
public static class GetPractitionerCalendar
{
    public const int MaxDays = 370;

    public sealed record Query(Guid ProviderId, Guid PractitionerId, DateOnly? From = null, DateOnly? To = null) : IQuery<PractitionerCalendar>;

    public sealed class Validator : AbstractValidator<Query>
    {
        // The days actually shown, defaults included: a 'to' given alone is checked against the default 'from'.
        public Validator(TimeProvider clock)
        {
            RuleFor(x => x).Must(x => Days(x, clock.Today()) is var (from, to) && to >= from && to.DayNumber - from.DayNumber < MaxDays)
                .OverridePropertyName("To").WithMessage($"Ask for up to {MaxDays} days, with 'to' on or after 'from'");
        }
    }

    /// <summary>The days the calendar covers: from the 1st of this month unless given, for a month unless 'to' is given.</summary>
    public static (DateOnly From, DateOnly To) Days(Query query, DateOnly today)
    {
        var from = query.From ?? new DateOnly(today.Year, today.Month, 1);
        return (from, query.To ?? from.AddMonths(1).AddDays(-1));
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, PractitionerCalendar>
    {
        public async ValueTask<PractitionerCalendar> Handle(Query request, CancellationToken ct)
        {
            var p = await Availability.PractitionerAsync(db, user, request.ProviderId, request.PractitionerId, ct);
            var (from, to) = Days(request, clock.Today());
            var slots = await db.BookingSlots.AsNoTracking().Where(s => s.PractitionerId == p.Id && s.Date >= from && s.Date <= to)
                .Select(s => new
                {
                    s.Date, s.BookingId,
                    Booking = db.Bookings.Where(b => b.Id == s.BookingId).Select(b => new
                    {
                        b.Reference, b.Status,
                        School = db.Schools.Where(x => x.Id == b.SchoolId).Select(x => x.Name).Single(),
                        Service = db.OfferVersions.Where(v => v.Id == b.OfferVersionId).Select(v => v.Title).Single(),
                    }).Single(),
                }).ToDictionaryAsync(s => s.Date, ct);
            var absences = await db.PractitionerAbsences.AsNoTracking().Where(a => a.PractitionerId == p.Id && a.To >= from.AddYears(-1))
                .OrderBy(a => a.From).ToListAsync(ct);
            var laId = await db.Providers.AsNoTracking().Where(x => x.Id == p.ProviderId).Select(x => x.LocalAuthorityId).SingleAsync(ct);
            var (firstYear, lastYear) = (Domain.Calendar.AcademicYears.Of(from), Domain.Calendar.AcademicYears.Of(to));
            var terms = await db.SchoolTerms.AsNoTracking().Where(t => t.LocalAuthorityId == laId && t.AcademicYear >= firstYear && t.AcademicYear <= lastYear).ToListAsync(ct);
            var insetDays = await db.InsetDays.AsNoTracking().Where(i => i.LocalAuthorityId == laId && i.Date >= from && i.Date <= to).Select(i => i.Date).ToListAsync(ct);
            var yearsWithTerms = terms.Select(t => t.AcademicYear).ToHashSet();
            var days = new List<CalendarDay>();
            for (var d = from; d <= to; d = d.AddDays(1))
            {
                if (slots.TryGetValue(d, out var s))
                    days.Add(new(d, CalendarDayStatus.Booked, s.BookingId, s.Booking.Reference, s.Booking.School, s.Booking.Service, DisplayNames.Of(s.Booking.Status)));
                else if (WorkingDays.IsBankHoliday(d)) days.Add(new(d, CalendarDayStatus.BankHoliday, null, null, null, null, "Bank holiday"));
                else if (absences.FirstOrDefault(a => a.Covers(d)) is { } away) days.Add(new(d, CalendarDayStatus.Away, null, null, null, null, away.Reason));
                else if (!p.WorksOn(d.DayOfWeek)) days.Add(new(d, CalendarDayStatus.NotWorking, null, null, null, null, null));
                else if (insetDays.Contains(d)) days.Add(new(d, CalendarDayStatus.InsetDay, null, null, null, null, "INSET day"));
                else if (yearsWithTerms.Contains(Domain.Calendar.AcademicYears.Of(d)) && !terms.Any(t => t.StartsOn <= d && d <= t.EndsOn))
                    days.Add(new(d, CalendarDayStatus.SchoolHoliday, null, null, null, null, "School holiday"));
                else days.Add(new(d, CalendarDayStatus.Available, null, null, null, null, null));
            }
            return new PractitionerCalendar(request.ProviderId, p.Id, p.Name, p.Specialism, ListPractitioners.WeekNames(p.WorkingWeek), from, to, days,
                absences.Where(a => a.To >= clock.Today()).Select(a => new AbsenceView(a.Id, a.From, a.To, a.Reason)).ToList());
        }
    }
}
