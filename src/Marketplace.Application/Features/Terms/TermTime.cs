using FluentValidation;
using FluentValidation.Results;
using Marketplace.Application.Data;
using Marketplace.Domain.Calendar;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Terms;

/// <summary>
/// Loads a school's LA terms for the dates asked about and applies <see cref="SchoolTermRule"/>: the one
/// place the booking commands (request, confirm, propose a change) turn "outside term" into a field error.
/// </summary>
public static class TermTime
{
    public static async Task EnsureInTermAsync(MarketplaceDbContext db, Guid schoolId, Guid offerVersionId, IReadOnlyList<DateOnly>? dates, string field, CancellationToken ct)
    {
        if (dates is not { Count: > 0 }) return;
        if (await db.OfferVersions.AsNoTracking().Where(v => v.Id == offerVersionId).Select(v => v.DeliveredInSchoolHolidays).SingleOrDefaultAsync(ct)) return;
        var laId = await db.Schools.AsNoTracking().Where(s => s.Id == schoolId).Select(s => s.LocalAuthorityId).SingleAsync(ct);
        var failures = await RefusalsAsync(db, laId, dates, field, ct);
        if (failures.Count > 0) throw new ValidationException(failures);
    }

    public static async Task<List<ValidationFailure>> RefusalsAsync(MarketplaceDbContext db, Guid laId, IReadOnlyList<DateOnly> dates, string field, CancellationToken ct)
    {
        var years = dates.Select(AcademicYears.Of).Distinct().ToList();
        var terms = await db.SchoolTerms.AsNoTracking().Where(t => t.LocalAuthorityId == laId && years.Contains(t.AcademicYear)).ToListAsync(ct);
        var inset = await db.InsetDays.AsNoTracking().Where(i => i.LocalAuthorityId == laId && years.Contains(i.AcademicYear)).ToListAsync(ct);
        var failures = new List<ValidationFailure>();
        for (var i = 0; i < dates.Count; i++)
            if (SchoolTermRule.Refusal(dates[i], terms, inset) is { } message)
                failures.Add(new ValidationFailure($"{field}[{i}]", message + " (or choose an offer that can be delivered in school holidays)"));
        return failures;
    }
}
