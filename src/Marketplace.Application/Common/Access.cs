using Marketplace.Application.Data;
using Marketplace.Domain.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Common;

/// <summary>The tenant checks shared by school and LA features.</summary>
public static class Access
{
    /// <summary>
    /// The school, tracked, if the caller may see it (its buyers, its LA's commissioners, admins);
    /// otherwise 404, so URNs in other tenants cannot be probed.
    /// </summary>
    public static async Task<School> SchoolAsync(MarketplaceDbContext db, ICurrentUser user, int urn, CancellationToken ct)
    {
        var school = await db.Schools.SingleOrDefaultAsync(s => s.Urn == urn, ct) ?? throw new NotFoundException("School", urn);
        if (!user.IsAdmin() && !user.IsBuyerFor(school.Id) && !user.IsCommissionerOf(school.LocalAuthorityId))
            throw new NotFoundException("School", urn);
        return school;
    }

    /// <summary>The school, if the caller is one of its buyers allowed to commit spend (403 otherwise).</summary>
    public static async Task<School> SchoolToCommitAsync(MarketplaceDbContext db, ICurrentUser user, int urn, CancellationToken ct)
    {
        var school = await SchoolAsync(db, user, urn, ct);
        if (!user.IsBuyerFor(school.Id))
            throw new ForbiddenException("Only the school's own buyers can change its subscription.");
        if (!user.CanCommitSpend)
            throw new ForbiddenException("Only a buyer authorised to commit the school's spend (e.g. the headteacher or business manager) can do this.");
        return school;
    }

    /// <summary>The LA, tracked, for its own commissioners and admins; other signed-in users get 403; unknown codes 404.</summary>
    public static async Task<LocalAuthority> LaForCommissionerAsync(MarketplaceDbContext db, ICurrentUser user, int code, CancellationToken ct)
    {
        var la = await db.LocalAuthorities.SingleOrDefaultAsync(l => l.Code == code, ct) ?? throw new NotFoundException("Local authority", code);
        if (!user.IsAdmin() && !user.IsCommissionerOf(la.Id))
            throw new ForbiddenException("Only this local authority's commissioners can do this.");
        return la;
    }

    /// <summary>A school of the LA by URN; a school elsewhere answers 404.</summary>
    public static async Task<School> SchoolOfLaAsync(MarketplaceDbContext db, LocalAuthority la, int urn, CancellationToken ct) =>
        await db.Schools.SingleOrDefaultAsync(s => s.Urn == urn && s.LocalAuthorityId == la.Id, ct) ?? throw new NotFoundException("School", urn);
}
