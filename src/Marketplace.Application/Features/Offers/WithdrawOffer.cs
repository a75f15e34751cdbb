using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;

namespace Marketplace.Application.Features.Offers;

/// <summary>The provider withdraws an offer from the catalogue.</summary>
public static class WithdrawOffer
{
    public sealed record Command(Guid Id, uint? RowVersion = null) : ICommand<Guid>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var (offer, _) = await OfferAccess.LoadForChangeAsync(db, user, request.Id,
                (providerId, _) => OfferAccess.CanManage(user, providerId), "withdraw", ct);
            OfferAccess.ExpectRowVersion(db, offer, request.RowVersion);
            offer.Withdraw(clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return offer.Id;
        }
    }
}
