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

public enum CalendarDayStatus { Available, Booked, Away, NotWorking, BankHoliday, SchoolHoliday, InsetDay }

public sealed record CalendarDay(DateOnly Date, CalendarDayStatus Status, Guid? BookingId, string? Reference, string? School, string? Service, string? Note);

public sealed record AbsenceView(Guid Id, DateOnly From, DateOnly To, string Reason);

public sealed record PractitionerCalendar(Guid ProviderId, Guid PractitionerId, string Name, string Specialism, IReadOnlyList<string> WorkingDays,
    DateOnly From, DateOnly To, IReadOnlyList<CalendarDay> Days, IReadOnlyList<AbsenceView> Absences);

public sealed record PractitionerSummary(Guid Id, string Name, string Specialism, IReadOnlyList<string> WorkingDays, int UpcomingBookedDays);
