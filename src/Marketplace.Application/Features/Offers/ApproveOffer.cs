using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;

namespace Marketplace.Application.Features.Offers;

/// <summary>LA quality assurance: the provider's home LA's commissioners approve an offer awaiting approval.</summary>
public static class ApproveOffer
{
    public sealed record Command(Guid Id, uint? RowVersion = null) : ICommand<Guid>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var (offer, _) = await OfferAccess.LoadForChangeAsync(db, user, request.Id,
                (_, laId) => OfferAccess.CanApprove(user, laId), "approve", ct);
            OfferAccess.ExpectRowVersion(db, offer, request.RowVersion);
            offer.Approve(user.UserId!.Value, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return offer.Id;
        }
    }
}
