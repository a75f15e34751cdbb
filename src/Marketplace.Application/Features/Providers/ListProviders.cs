using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Organisations;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Providers;

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
