using Marketplace.Application.Data;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Subscriptions;

/// <summary>
/// Changes to one school's subscriptions and concern status queue on a row lock of the school, taken
/// inside the caller's transaction and held until it commits, so two racing changes never both pass
/// the same check (one subscription per period, one enrolment in force).
/// </summary>
public static class SchoolLock
{
    public static async Task LockSchoolAsync(this MarketplaceDbContext db, Guid schoolId, CancellationToken ct) =>
        await db.Database.SqlQuery<int>($"SELECT 1 AS \"Value\" FROM schools WHERE id = {schoolId} FOR UPDATE").ToListAsync(ct);
}
