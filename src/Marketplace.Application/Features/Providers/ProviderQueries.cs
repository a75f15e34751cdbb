using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Organisations;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Providers;

public sealed record ProviderSummary(Guid Id, string Name, ProviderKind Kind, int LaCode, string LaName, bool IsSchool, int PublishedOffers);

public sealed record PractitionerView(Guid Id, string Name, string Specialism, IReadOnlyList<Accreditation> Accreditations);

public sealed record ProviderDetail(Guid Id, string Name, ProviderKind Kind, int LaCode, string LaName, string Description,
    int? SchoolUrn, IReadOnlyList<PractitionerView> Practitioners);

/// <summary>The provider directory, for signed-in users (practitioner names are personal data).</summary>
public static class ListProviders
{
    public sealed record Query : IQuery<Page<ProviderSummary>>
    {
        public string? Kind { get; init; }
        public int? La { get; init; }
        public int Page { get; init; } = 1;
        public int PageSize { get; init; } = Paging.DefaultPageSize;
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(x => x.Kind).Must(s => s is null || EnumText.TryParse<ProviderKind>(s, out _))
                .WithMessage($"Choose a provider kind from: {EnumText.Allowed<ProviderKind>()}");
            RuleFor(x => x.La).InclusiveBetween(100, 999).WithMessage("An LA code has three digits");
            RuleFor(x => x.Page).InclusiveBetween(1, 100_000);
            RuleFor(x => x.PageSize).InclusiveBetween(1, Paging.MaxPageSize);
        }
    }

    public sealed class Handler(MarketplaceDbContext db) : IQueryHandler<Query, Page<ProviderSummary>>
    {
        public async ValueTask<Page<ProviderSummary>> Handle(Query request, CancellationToken ct)
        {
            var providers = db.Providers.AsNoTracking();
            if (EnumText.TryParse<ProviderKind>(request.Kind, out var kind)) providers = providers.Where(p => p.Kind == kind);
            if (request.La is { } code) providers = providers.Where(p => p.LocalAuthority!.Code == code);
            var total = await providers.CountAsync(ct);
            var items = await providers.OrderBy(p => p.Name)
                .Skip((request.Page - 1) * request.PageSize).Take(request.PageSize)
                .Select(p => new ProviderSummary(p.Id, p.Name, p.Kind, p.LocalAuthority!.Code, p.LocalAuthority.Name,
                    p.SchoolId != null,
                    db.Offers.Count(o => o.ProviderId == p.Id && o.PublishedVersionId != null && o.Status != Domain.Catalogue.OfferStatus.Withdrawn)))
                .ToListAsync(ct);
            return new Page<ProviderSummary>(items, request.Page, request.PageSize, total);
        }
    }
}

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
