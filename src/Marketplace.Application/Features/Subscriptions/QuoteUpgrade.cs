using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>
/// What upgrading today would cost, before the school commits to it: the prorated fee difference in pounds,
/// the school's share, and the extra credits granted at once with their value at the LA's credit price.
/// <see cref="UpgradeSubscription"/> gathers the same facts through <see cref="FactsAsync"/> and prices with
/// the same domain rule (<see cref="Subscription.QuoteUpgrade"/>), so the check page and the upgrade agree.
/// Nothing is saved. Buyers who may commit spend only (403 otherwise).
/// </summary>
public static class QuoteUpgrade
{
    public sealed record Query(int Urn, string? Tier) : IQuery<Result>;

    public sealed record Result(int Urn, UpgradeQuote Quote, long CreditPricePence, long CreditValuePence);

    /// <summary>What an upgrade is priced from: the school's current subscription, its LA, and the package of the tier asked for.</summary>
    public sealed record Facts(School School, Subscription Current, LocalAuthority La, TierPackage Package);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(x => x.Tier).MustBeTier();
    }

    public static async Task<Facts> FactsAsync(MarketplaceDbContext db, School school, string? tier, DateOnly today, CancellationToken ct)
    {
        var current = await db.RequireCurrentSubscriptionAsync(school, today, ct);
        var la = await db.LocalAuthorities.SingleAsync(l => l.Id == school.LocalAuthorityId, ct);
        var package = await db.TierPackageAsync(la.Id, TierPackage.YearOf(current.Period), TierRules.ParseTier(tier), ct);
        return new Facts(school, current, la, package);
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var school = await Access.SchoolToCommitAsync(db, user, request.Urn, ct);
            var today = clock.Today();
            var facts = await FactsAsync(db, school, request.Tier, today, ct);
            var quote = facts.Current.QuoteUpgrade(facts.Package, school.PupilsOnRoll, today);
            return new Result(request.Urn, quote, facts.La.CreditPricePence, checked(quote.CreditDifference * facts.La.CreditPricePence));
        }
    }
}
