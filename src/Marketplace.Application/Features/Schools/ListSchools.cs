using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Domain.Organisations;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Schools;

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
