using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Organisations;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Providers;

/// <summary>A provider and its practitioners, for signed-in users.</summary>
public static class GetProvider
{
    public sealed record Query(Guid Id) : IQuery<ProviderDetail>;

    public sealed class Handler(MarketplaceDbContext db) : IQueryHandler<Query, ProviderDetail>
    {
        public async ValueTask<ProviderDetail> Handle(Query request, CancellationToken ct)
        {
            var p = await db.Providers.AsNoTracking().Where(x => x.Id == request.Id)
                .Select(x => new
                {
                    x.Id, x.Name, x.Kind, x.LocalAuthority!.Code, LaName = x.LocalAuthority.Name, x.Description,
                    SchoolUrn = db.Schools.Where(s => s.Id == x.SchoolId).Select(s => (int?)s.Urn).FirstOrDefault(),
                    Practitioners = x.Practitioners.OrderBy(pr => pr.Name).ToList(),
                })
                .SingleOrDefaultAsync(ct) ?? throw new NotFoundException("Provider", request.Id);
            return new ProviderDetail(p.Id, p.Name, p.Kind, p.Code, p.LaName, p.Description, p.SchoolUrn,
                p.Practitioners.Select(pr => new PractitionerView(pr.Id, pr.Name, pr.Specialism, pr.Accreditations)).ToList());
        }
    }
}
