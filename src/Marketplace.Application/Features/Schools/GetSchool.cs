using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Domain.Organisations;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Schools;

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
