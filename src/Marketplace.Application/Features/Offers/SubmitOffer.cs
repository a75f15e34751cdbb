using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;

namespace Marketplace.Application.Features.Offers;

/// <summary>The provider submits a draft for its LA's approval.</summary>
public static class SubmitOffer
{
    public sealed record Command(Guid Id, uint? RowVersion = null) : ICommand<Guid>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var (offer, _) = await OfferAccess.LoadForChangeAsync(db, user, request.Id,
                (providerId, _) => OfferAccess.CanManage(user, providerId), "submit", ct);
            OfferAccess.ExpectRowVersion(db, offer, request.RowVersion);
            offer.Submit(clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return offer.Id;
        }
    }
}
