using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Domain.Organisations;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Schools;

/// <summary>
/// Schools are visible to platform admins, to commissioners of the school's own LA and to the school's
/// own buyers. Anyone else is told the school does not exist (404).
/// </summary>
internal static class SchoolAccess
{
    public static IQueryable<School> Visible(MarketplaceDbContext db, ICurrentUser user)
    {
        var schools = db.Schools.AsNoTracking();
        if (user.IsAdmin()) return schools;
        if (user.IsInRole(Roles.LaCommissioner) && user.LocalAuthorityId is { } la)
            return schools.Where(s => s.LocalAuthorityId == la);
        if (user.IsInRole(Roles.SchoolBuyer) && user.SchoolId is { } school)
            return schools.Where(s => s.Id == school);
        return schools.Where(_ => false);
    }

    public static IQueryable<SchoolView> Project(IQueryable<School> schools) =>
        schools.Select(s => new SchoolView(s.Id, s.Urn, s.Name, s.LocalAuthority!.Code, s.LocalAuthority.Name,
            s.Phase, s.Type, s.Cluster, s.PupilsOnRoll, (int?)s.OfstedGrade, s.OfstedInspectionDate));
}
