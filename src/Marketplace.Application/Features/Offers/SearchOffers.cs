using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Data.Configurations;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Organisations;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using NpgsqlTypes;

namespace Marketplace.Application.Features.Offers;

/// <summary>The public catalogue: published offers only, searchable by anyone.</summary>
public static class SearchOffers
{
    public static readonly string[] Sorts = ["relevance", "title", "price", "-price", "newest"];

    public sealed record Query : IQuery<Page<OfferSummary>>
    {
        public string? Q { get; init; }
        public string? Subject { get; init; }
        public string? Phase { get; init; }
        public string? Category { get; init; }
        public string? Tier { get; init; }
        public string? ProviderKind { get; init; }
        /// <summary>The selling LA: its three-digit code or its name ("816", "york").</summary>
        public string? La { get; init; }
        public string? Sort { get; init; }
        public int Page { get; init; } = 1;
        public int PageSize { get; init; } = Paging.DefaultPageSize;
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(x => x.Q).MaximumLength(200);
            RuleFor(x => x.Subject).Must(s => s is null || EnumText.TryParse<Subject>(s, out _))
                .WithMessage($"Choose a subject from: {EnumText.Allowed<Subject>()}");
            RuleFor(x => x.Phase).Must(s => s is null || EnumText.TryParse<Phase>(s, out _))
                .WithMessage($"Choose a phase from: {EnumText.Allowed<Phase>()}");
            RuleFor(x => x.Category).Must(s => s is null || EnumText.TryParse<OfferCategory>(s, out _))
                .WithMessage($"Choose a category from: {EnumText.Allowed<OfferCategory>()}");
            RuleFor(x => x.Tier).Must(s => s is null || EnumText.TryParse<Tier>(s, out _))
                .WithMessage($"Choose a tier from: {EnumText.Allowed<Tier>()}");
            RuleFor(x => x.ProviderKind).Must(s => s is null || EnumText.TryParse<ProviderKind>(s, out _))
                .WithMessage($"Choose a provider kind from: {EnumText.Allowed<ProviderKind>()}");
            RuleFor(x => x.La).MaximumLength(100);
            RuleFor(x => x.Sort).Must(s => s is null || Sorts.Contains(s, StringComparer.OrdinalIgnoreCase))
                .WithMessage($"Sort by one of: {string.Join(", ", Sorts)}.");
            RuleFor(x => x.Page).InclusiveBetween(1, 100_000);
            RuleFor(x => x.PageSize).InclusiveBetween(1, Paging.MaxPageSize);
        }
    }

    /// <summary>How long a search result may be served from memory (0 turns the cache off).</summary>
    public sealed class CacheOptions
    {
        public int Seconds { get; set; } = 30;
    }

    /// <summary>
    /// Results are cached in memory under the catalogue's version, a number PostgreSQL triggers move on
    /// whenever an offer is published, revised, withdrawn or its provider or LA renamed. Every request
    /// reads the version (one primary-key lookup), so no instance serves a result older than the
    /// catalogue it reads, and a change made by another instance or directly in the database is seen at once.
    /// </summary>
    public sealed class Handler(MarketplaceDbContext db, IMemoryCache cache, IOptions<CacheOptions> options)
        : IQueryHandler<Query, Page<OfferSummary>>
    {
        public async ValueTask<Page<OfferSummary>> Handle(Query request, CancellationToken cancellationToken)
        {
            var seconds = options.Value.Seconds;
            if (seconds <= 0) return await SearchAsync(request, cancellationToken);

            var version = await db.Database
                .SqlQueryRaw<long>("SELECT version AS \"Value\" FROM catalogue_versions WHERE id = 1")
                .SingleOrDefaultAsync(cancellationToken);
            if (version == 0) return await SearchAsync(request, cancellationToken);

            var key = (nameof(SearchOffers), version, request);
            if (cache.TryGetValue(key, out Page<OfferSummary>? hit) && hit is not null) return hit;
            var page = await SearchAsync(request, cancellationToken);
            cache.Set(key, page, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(seconds) });
            return page;
        }

        private async Task<Page<OfferSummary>> SearchAsync(Query request, CancellationToken cancellationToken)
        {
            var rows =
                from o in db.Offers.AsNoTracking()
                join v in db.OfferVersions on o.PublishedVersionId equals v.Id
                join p in db.Providers on o.ProviderId equals p.Id
                join la in db.LocalAuthorities on p.LocalAuthorityId equals la.Id
                where o.Status != OfferStatus.Withdrawn
                select new Row { Offer = o, Version = v, Provider = p, La = la };

            if (EnumText.TryParse<Subject>(request.Subject, out var subject))
                rows = rows.Where(r => r.Version.Subject == subject);
            if (EnumText.TryParse<Phase>(request.Phase, out var phase))
                rows = rows.Where(r => (r.Version.Phases & phase) != 0);
            if (EnumText.TryParse<OfferCategory>(request.Category, out var category))
                rows = rows.Where(r => r.Version.Category == category);
            if (EnumText.TryParse<ProviderKind>(request.ProviderKind, out var kind))
                rows = rows.Where(r => r.Provider.Kind == kind);
            if (EnumText.TryParse<Tier>(request.Tier, out var tier))
            {
                rows = tier switch
                {
                    Tier.Bronze => rows.Where(r => r.Version.BronzeCredits != null),
                    Tier.Silver => rows.Where(r => r.Version.SilverCredits != null),
                    _ => rows.Where(r => r.Version.GoldCredits != null),
                };
            }

            if (!string.IsNullOrWhiteSpace(request.La))
            {
                var la = request.La.Trim();
                if (int.TryParse(la, out var code))
                    rows = rows.Where(r => r.La.Code == code);
                else
                {
                    // "york" means City of York, not North Yorkshire: match the whole name or its last words.
                    var exact = LikeEscape(la);
                    var tail = "% " + exact;
                    rows = rows.Where(r => EF.Functions.ILike(r.La.Name, exact, LikeEscapeCharacter) || EF.Functions.ILike(r.La.Name, tail, LikeEscapeCharacter));
                }
            }

            var text = request.Q?.Trim();
            var hasText = !string.IsNullOrEmpty(text);
            var expanded = hasText ? SearchSynonyms.Expand(text!) : null;
            if (hasText)
            {
                var pattern = "%" + LikeEscape(text!) + "%";
                rows = rows.Where(r =>
                    EF.Property<NpgsqlTsVector>(r.Version, OfferVersionConfiguration.SearchVector)
                        .Matches(EF.Functions.WebSearchToTsQuery("english", expanded!))
                    || EF.Functions.ILike(r.Version.Title, pattern, LikeEscapeCharacter)
                    || EF.Functions.ILike(r.Provider.Name, pattern, LikeEscapeCharacter));
            }

            var total = await rows.CountAsync(cancellationToken);

            var sort = (request.Sort ?? (hasText ? "relevance" : "title")).ToLowerInvariant();
            var ordered = sort switch
            {
                "relevance" when hasText => rows.OrderByDescending(r =>
                        EF.Property<NpgsqlTsVector>(r.Version, OfferVersionConfiguration.SearchVector)
                            .Rank(EF.Functions.WebSearchToTsQuery("english", expanded!)))
                    .ThenBy(r => r.Version.Title),
                "price" => rows.OrderBy(r => r.Version.PriceCredits).ThenBy(r => r.Version.Title),
                "-price" => rows.OrderByDescending(r => r.Version.PriceCredits).ThenBy(r => r.Version.Title),
                "newest" => rows.OrderByDescending(r => r.Version.ApprovedAt).ThenBy(r => r.Version.Title),
                _ => rows.OrderBy(r => r.Version.Title),
            };

            var page = await ordered.ThenBy(r => r.Offer.Id)
                .Skip((request.Page - 1) * request.PageSize)
                .Take(request.PageSize)
                .Select(r => new
                {
                    r.Offer.Id,
                    r.Version.Number,
                    r.Version.Title,
                    r.Version.Description,
                    r.Version.Category,
                    r.Version.Subject,
                    r.Version.Phases,
                    r.Version.Unit,
                    r.Version.PricePence,
                    r.Version.PriceCredits,
                    r.Version.BronzeCredits,
                    r.Version.SilverCredits,
                    r.Version.GoldCredits,
                    ProviderId = r.Provider.Id,
                    ProviderName = r.Provider.Name,
                    r.Provider.Kind,
                    r.La.Code,
                    LaName = r.La.Name,
                })
                .ToListAsync(cancellationToken);

            var items = page.Select(x => new OfferSummary(x.Id, x.Number, x.Title,
                OfferViewMapping.Summarise(x.Description), x.Category, x.Subject,
                OfferViewMapping.PhaseNames(x.Phases), x.Unit, x.PricePence, x.PriceCredits,
                new TierPrices(x.BronzeCredits, x.SilverCredits, x.GoldCredits),
                new OfferProvider(x.ProviderId, x.ProviderName, x.Kind, x.Code, x.LaName))).ToList();

            return new Page<OfferSummary>(items, request.Page, request.PageSize, total);
        }

        private sealed class Row
        {
            public required Offer Offer { get; init; }
            public required OfferVersion Version { get; init; }
            public required Provider Provider { get; init; }
            public required LocalAuthority La { get; init; }
        }
    }

    /// <summary>Without an explicit escape character EF asks PostgreSQL for none, and "50%" would match anything.</summary>
    internal const string LikeEscapeCharacter = "\\";

    internal static string LikeEscape(string text) =>
        text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
