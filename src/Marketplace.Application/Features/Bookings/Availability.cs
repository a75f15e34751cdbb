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

namespace Marketplace.Application.Features.Bookings;

/// <summary>
/// A practitioner can be booked on a date when it is one of their working weekdays, not an England
/// bank holiday, not inside a recorded absence and not already booked (the slot's primary key refuses
/// a second booking even when two confirmations race). Absences and confirmations for one practitioner
/// take the practitioner's row lock, so an absence cannot slip in beside a confirmation either.
/// </summary>
public static class Availability
{
    public static async Task LockAsync(MarketplaceDbContext db, Guid practitionerId, CancellationToken ct) =>
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM practitioners WHERE id = {practitionerId} FOR UPDATE", ct);

    /// <summary>Refuses (409) dates the practitioner does not work or is away; call inside the transaction that writes the slots.</summary>
    public static async Task EnsureAvailableAsync(MarketplaceDbContext db, Guid practitionerId, IReadOnlyList<DateOnly> dates, CancellationToken ct)
    {
        await LockAsync(db, practitionerId, ct);
        var week = await db.Practitioners.Where(p => p.Id == practitionerId).Select(p => p.WorkingWeek).SingleAsync(ct);
        var first = dates.Min();
        var last = dates.Max();
        var absences = await db.PractitionerAbsences.AsNoTracking()
            .Where(a => a.PractitionerId == practitionerId && a.From <= last && a.To >= first).ToListAsync(ct);
        var problems = new List<string>();
        foreach (var d in dates)
        {
            var label = d.ToString("dddd d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));
            if (WorkingDays.IsBankHoliday(d)) problems.Add($"{label} is a bank holiday");
            else if (!week.HasFlag(Practitioner.WorkingWeekOf(d.DayOfWeek))) problems.Add($"{label} is not one of the practitioner's working days");
            else if (absences.FirstOrDefault(a => a.Covers(d)) is { } away) problems.Add($"{label}: the practitioner is away ({away.Reason})");
        }
        if (problems.Count > 0)
            throw new DomainRuleException("booking.unavailable", "The practitioner is not available: " + string.Join("; ", problems) + ".");
    }

    /// <summary>Saves pending slot changes, turning the slot key's refusal into a clear 409.</summary>
    public static async Task SaveSlotsAsync(MarketplaceDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg && pg.TableName == "booking_slots")
        {
            throw new DomainRuleException("booking.double-booked", "The practitioner is already booked on one of those dates. Choose another date or practitioner.");
        }
    }

    internal static async Task<Practitioner> PractitionerAsync(MarketplaceDbContext db, ICurrentUser user, Guid providerId, Guid practitionerId, CancellationToken ct)
    {
        if (!user.IsAdmin() && !user.IsProviderUserOf(providerId)) throw new ForbiddenException("Only the provider can see and change its practitioners' calendars.");
        return await db.Practitioners.SingleOrDefaultAsync(p => p.Id == practitionerId && p.ProviderId == providerId, ct)
            ?? throw new NotFoundException("Practitioner", practitionerId);
    }
}

public enum CalendarDayStatus { Available, Booked, Away, NotWorking, BankHoliday }

public sealed record CalendarDay(DateOnly Date, CalendarDayStatus Status, Guid? BookingId, string? Reference, string? School, string? Service, string? Note);

public sealed record AbsenceView(Guid Id, DateOnly From, DateOnly To, string Reason);

public sealed record PractitionerCalendar(Guid ProviderId, Guid PractitionerId, string Name, string Specialism, IReadOnlyList<string> WorkingDays,
    DateOnly From, DateOnly To, IReadOnlyList<CalendarDay> Days, IReadOnlyList<AbsenceView> Absences);

public sealed record PractitionerSummary(Guid Id, string Name, string Specialism, IReadOnlyList<string> WorkingDays, int UpcomingBookedDays);

/// <summary>The provider's practitioners with their working week and how many days ahead are booked.</summary>
public static class ListPractitioners
{
    public sealed record Query(Guid ProviderId) : IQuery<IReadOnlyList<PractitionerSummary>>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, IReadOnlyList<PractitionerSummary>>
    {
        public async ValueTask<IReadOnlyList<PractitionerSummary>> Handle(Query request, CancellationToken ct)
        {
            if (!user.IsAdmin() && !user.IsProviderUserOf(request.ProviderId)) throw new ForbiddenException("Only the provider can see its practitioners' calendars.");
            var today = clock.Today();
            var rows = await db.Practitioners.AsNoTracking().Where(p => p.ProviderId == request.ProviderId).OrderBy(p => p.Name)
                .Select(p => new { p.Id, p.Name, p.Specialism, p.WorkingWeek, Booked = db.BookingSlots.Count(s => s.PractitionerId == p.Id && s.Date >= today) })
                .ToListAsync(ct);
            return rows.Select(r => new PractitionerSummary(r.Id, r.Name, r.Specialism, WeekNames(r.WorkingWeek), r.Booked)).ToList();
        }
    }

    internal static IReadOnlyList<string> WeekNames(WorkingWeek week) =>
        Enum.GetValues<DayOfWeek>().OrderBy(d => ((int)d + 6) % 7).Where(d => week.HasFlag(Practitioner.WorkingWeekOf(d))).Select(d => d.ToString()).ToList();
}

/// <summary>A practitioner's calendar, day by day: booked (with the booking), away, not working, bank holiday or free.</summary>
public static class GetPractitionerCalendar
{
    public const int MaxDays = 370;

    public sealed record Query(Guid ProviderId, Guid PractitionerId, DateOnly? From = null, DateOnly? To = null) : IQuery<PractitionerCalendar>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(x => x).Must(x => x.From is null || x.To is null || (x.To >= x.From && x.To.Value.DayNumber - x.From.Value.DayNumber < MaxDays))
                .OverridePropertyName("To").WithMessage($"Ask for up to {MaxDays} days, with 'to' on or after 'from'");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, PractitionerCalendar>
    {
        public async ValueTask<PractitionerCalendar> Handle(Query request, CancellationToken ct)
        {
            var p = await Availability.PractitionerAsync(db, user, request.ProviderId, request.PractitionerId, ct);
            var from = request.From ?? new DateOnly(clock.Today().Year, clock.Today().Month, 1);
            var to = request.To ?? from.AddMonths(1).AddDays(-1);
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
            var days = new List<CalendarDay>();
            for (var d = from; d <= to; d = d.AddDays(1))
            {
                if (slots.TryGetValue(d, out var s))
                    days.Add(new(d, CalendarDayStatus.Booked, s.BookingId, s.Booking.Reference, s.Booking.School, s.Booking.Service, s.Booking.Status.ToString()));
                else if (WorkingDays.IsBankHoliday(d)) days.Add(new(d, CalendarDayStatus.BankHoliday, null, null, null, null, "Bank holiday"));
                else if (absences.FirstOrDefault(a => a.Covers(d)) is { } away) days.Add(new(d, CalendarDayStatus.Away, null, null, null, null, away.Reason));
                else if (!p.WorksOn(d.DayOfWeek)) days.Add(new(d, CalendarDayStatus.NotWorking, null, null, null, null, null));
                else days.Add(new(d, CalendarDayStatus.Available, null, null, null, null, null));
            }
            return new PractitionerCalendar(request.ProviderId, p.Id, p.Name, p.Specialism, ListPractitioners.WeekNames(p.WorkingWeek), from, to, days,
                absences.Where(a => a.To >= clock.Today()).Select(a => new AbsenceView(a.Id, a.From, a.To, a.Reason)).ToList());
        }
    }
}

/// <summary>The provider sets the weekdays a practitioner works; days already booked stay booked.</summary>
public static class SetWorkingWeek
{
    public sealed record Command(Guid ProviderId, Guid PractitionerId, IReadOnlyList<string>? WorkingDays) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.WorkingDays).NotEmpty().WithMessage("Choose at least one working day");
            RuleForEach(x => x.WorkingDays).Must(d => Enum.TryParse<DayOfWeek>(d, ignoreCase: true, out _))
                .WithMessage("Working days are Monday, Tuesday, Wednesday, Thursday, Friday, Saturday or Sunday");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var p = await Availability.PractitionerAsync(db, user, request.ProviderId, request.PractitionerId, ct);
            var week = request.WorkingDays!.Aggregate(WorkingWeek.None, (w, d) => w | Practitioner.WorkingWeekOf(Enum.Parse<DayOfWeek>(d, ignoreCase: true)));
            p.SetWorkingWeek(week);
            await db.SaveChangesAsync(ct);
            return Unit.Value;
        }
    }
}

/// <summary>The provider records a practitioner's absence; one that overlaps days already booked is refused (409) naming them.</summary>
public static class AddAbsence
{
    public sealed record Command(Guid ProviderId, Guid PractitionerId, DateOnly? From, DateOnly? To, string? Reason) : ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(x => x.From).NotNull().WithMessage("Enter the first day away").Must(d => d is null || d >= clock.Today()).WithMessage("The first day cannot be in the past");
            RuleFor(x => x.To).NotNull().WithMessage("Enter the last day away")
                .Must((x, to) => to is null || x.From is null || to >= x.From).WithMessage("The last day cannot be before the first")
                .Must((x, to) => to is null || x.From is null || to.Value.DayNumber - x.From.Value.DayNumber <= 366).WithMessage("Record at most a year at a time");
            RuleFor(x => x.Reason).NotEmpty().WithMessage("Give a reason, for example annual leave").MaximumLength(200).WithMessage("Keep the reason to 200 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var p = await Availability.PractitionerAsync(db, user, request.ProviderId, request.PractitionerId, ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await Availability.LockAsync(db, p.Id, ct);
            var clashes = await db.BookingSlots.Where(s => s.PractitionerId == p.Id && s.Date >= request.From && s.Date <= request.To)
                .OrderBy(s => s.Date).Select(s => new { s.Date, Reference = db.Bookings.Where(b => b.Id == s.BookingId).Select(b => b.Reference).Single() })
                .ToListAsync(ct);
            if (clashes.Count > 0)
                throw new DomainRuleException("absence.booked", "The practitioner is booked in that time: "
                    + string.Join(", ", clashes.Select(c => $"{c.Reference} on {c.Date:d MMMM yyyy}")) + ". Move or cancel those bookings first.");
            var absence = new PractitionerAbsence(Guid.CreateVersion7(), p.Id, request.From!.Value, request.To!.Value, request.Reason!, clock.GetUtcNow());
            db.PractitionerAbsences.Add(absence);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return absence.Id;
        }
    }
}

public static class RemoveAbsence
{
    public sealed record Command(Guid ProviderId, Guid PractitionerId, Guid AbsenceId) : ICommand<Unit>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var p = await Availability.PractitionerAsync(db, user, request.ProviderId, request.PractitionerId, ct);
            var absence = await db.PractitionerAbsences.SingleOrDefaultAsync(a => a.Id == request.AbsenceId && a.PractitionerId == p.Id, ct)
                ?? throw new NotFoundException("Absence", request.AbsenceId);
            db.PractitionerAbsences.Remove(absence);
            await db.SaveChangesAsync(ct);
            return Unit.Value;
        }
    }
}
