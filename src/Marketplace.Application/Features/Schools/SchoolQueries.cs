using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Domain.Organisations;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Schools;

public sealed record SchoolView(
    Guid Id,
    int Urn,
    string Name,
    int LaCode,
    string LaName,
    Phase Phase,
    SchoolType Type,
    string Cluster,
    int PupilsOnRoll,
    int? OfstedGrade,
    DateOnly? OfstedInspectionDate);

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

public static class ListSchools
{
    public sealed record Query : IQuery<Page<SchoolView>>
    {
        public string? Q { get; init; }
        public int? La { get; init; }
        public int Page { get; init; } = 1;
        public int PageSize { get; init; } = Paging.DefaultPageSize;
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(x => x.Q).MaximumLength(200);
            RuleFor(x => x.La).InclusiveBetween(100, 999).WithMessage("An LA code has three digits");
            RuleFor(x => x.Page).InclusiveBetween(1, 100_000);
            RuleFor(x => x.PageSize).InclusiveBetween(1, Paging.MaxPageSize);
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, Page<SchoolView>>
    {
        public async ValueTask<Page<SchoolView>> Handle(Query request, CancellationToken ct)
        {
            if (!user.IsAdmin() && !user.IsInRole(Roles.LaCommissioner) && !user.IsInRole(Roles.SchoolBuyer))
                throw new ForbiddenException("Your role can't list schools.");

            var schools = SchoolAccess.Visible(db, user);
            if (request.La is { } code) schools = schools.Where(s => s.LocalAuthority!.Code == code);
            if (!string.IsNullOrWhiteSpace(request.Q))
            {
                var q = request.Q.Trim();
                var pattern = "%" + Offers.SearchOffers.LikeEscape(q) + "%";
                schools = int.TryParse(q, out var urn)
                    ? schools.Where(s => s.Urn == urn)
                    : schools.Where(s => EF.Functions.ILike(s.Name, pattern, Offers.SearchOffers.LikeEscapeCharacter));
            }

            var total = await schools.CountAsync(ct);
            var items = await SchoolAccess.Project(schools.OrderBy(s => s.Name).ThenBy(s => s.Urn)
                    .Skip((request.Page - 1) * request.PageSize).Take(request.PageSize))
                .ToListAsync(ct);
            return new Page<SchoolView>(items, request.Page, request.PageSize, total);
        }
    }
}

public static class GetSchool
{
    public sealed record Query(int Urn) : IQuery<SchoolView>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(x => x.Urn).Must(Urn.IsValid).WithMessage("A URN is six digits, for example 121234");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, SchoolView>
    {
        public async ValueTask<SchoolView> Handle(Query request, CancellationToken ct) =>
            await SchoolAccess.Project(SchoolAccess.Visible(db, user).Where(s => s.Urn == request.Urn))
                .SingleOrDefaultAsync(ct) ?? throw new NotFoundException("School", request.Urn);
    }
}
