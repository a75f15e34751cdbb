using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Common;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Concern;

/// <summary>The reads, audit entries and emails every concern use case shares.</summary>
public static class ConcernRecords
{
    /// <summary>The school's enrolment or override in force (at most one), tracked.</summary>
    public static Task<ConcernEnrolment?> EnrolmentInForceAsync(this MarketplaceDbContext db, Guid schoolId, CancellationToken ct) =>
        db.ConcernEnrolments.SingleOrDefaultAsync(e => e.SchoolId == schoolId
            && (e.Status == EnrolmentStatus.Active || e.Status == EnrolmentStatus.Exiting || e.Status == EnrolmentStatus.Overridden), ct);

    public static Task<bool> IsAtRiskAsync(this MarketplaceDbContext db, Guid schoolId, CancellationToken ct) =>
        db.RiskFlags.AnyAsync(f => f.SchoolId == schoolId && f.ClearedAt == null, ct);

    /// <summary>Why the school causes concern, in words: "Ofsted grade 3 (requires improvement), inspected …; at risk: …".</summary>
    public static async Task<string> ConcernTriggerAsync(this MarketplaceDbContext db, School school, CancellationToken ct)
    {
        var parts = new List<string>();
        if (school.OfstedGrade is OfstedGrade.RequiresImprovement or OfstedGrade.Inadequate)
            parts.Add($"Ofsted grade {(int)school.OfstedGrade} ({ConcernWording.Describe(school.OfstedGrade.Value)}), inspected {school.OfstedInspectionDate:d MMMM yyyy}");
        var flag = await db.RiskFlags.AsNoTracking().Where(f => f.SchoolId == school.Id && f.ClearedAt == null).Select(f => f.Reasons).SingleOrDefaultAsync(ct);
        if (flag is not null) parts.Add("at risk: " + string.Join(", ", flag.Select(ConcernWording.Describe)));
        return parts.Count == 0 ? "no longer causes concern" : string.Join("; ", parts);
    }

    /// <summary>Adds an audit entry about the school to the unit of work (saved with the change it records).</summary>
    public static void AuditSchool(this MarketplaceDbContext db, TimeProvider clock, Actor actor, School school, string action, string detail, string? reason) =>
        db.AuditEvents.Add(new AuditEvent(Guid.CreateVersion7(), clock.GetUtcNow(), actor.UserId, actor.Name, school.LocalAuthorityId, school.Id,
            action, detail, reason));

    /// <summary>Tells the school's people and its LA's commissioners, through the outbox.</summary>
    public static async Task ToSchoolAndLaAsync(this Notifier notifier, School school, string key, string subject, string body, CancellationToken ct)
    {
        await notifier.ToSchoolAsync(school.Id, key, subject, body, ct);
        await notifier.ToCommissionersAsync(school.LocalAuthorityId, key, subject, body, ct);
    }
}
