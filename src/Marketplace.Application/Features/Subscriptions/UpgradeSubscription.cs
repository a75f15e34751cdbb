using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Common;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>
/// The school moves to a higher tier now: the fee and allowance difference are prorated by days
/// remaining (<see cref="QuoteUpgrade"/> shows the same figures first) and the extra credits granted at once.
/// Buyers who may commit spend only.
/// </summary>
public static class UpgradeSubscription
{
    public sealed record Command(int Urn, string? Tier, string? Reason) : ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Tier).MustBeTier();
            RuleFor(x => x.Reason).MaximumLength(1000).WithMessage("Keep the reason to 1,000 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, CreditLedger ledger, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var school = await Access.SchoolToCommitAsync(db, user, request.Urn, ct);
            await db.LockSchoolAsync(school.Id, ct);
            var today = clock.Today();
            // The facts and the rule the check page quotes from (QuoteUpgrade), read again under the school's lock.
            var (_, current, la, package) = await QuoteUpgrade.FactsAsync(db, school, request.Tier, today, ct);
            var change = current.Upgrade(package, school.PupilsOnRoll, today, request.Reason, user.UserId, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            await ledger.GrantAllowanceAsync(current, change, package.CostBasisPencePerCredit(la.CreditPricePence), ct);
            return change.Id;
        }
    }
}
