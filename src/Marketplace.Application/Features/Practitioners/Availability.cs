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
