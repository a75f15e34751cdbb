using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>A school with no subscription this period joins now (fee and allowance prorated by days remaining).</summary>
public static class Subscribe
{
    public sealed record Command(int Urn, string? Tier, int? TermYears) : ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Tier).MustBeTier();
            RuleFor(x => x.TermYears).InclusiveBetween(1, 3).When(x => x.TermYears is not null).WithMessage("A term is one, two or three years");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, NewSubscription newSubscription, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var school = await Access.SchoolToCommitAsync(db, user, request.Urn, ct);
            await db.LockSchoolAsync(school.Id, ct);
            var la = await db.LocalAuthorities.SingleAsync(l => l.Id == school.LocalAuthorityId, ct);
            var sub = await newSubscription.StartAsync(school, la, new NewSubscription.Terms(TierRules.ParseTier(request.Tier), request.TermYears ?? 1,
                Payer.School, null, 10_000, clock.Today(), SubscriptionOrigin.SchoolChoice), Actor.From(user), ct);
            await db.SaveChangesAsync(ct);
            return sub.Id;
        }
    }
}
