using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;

namespace Marketplace.Application.Features.Offers;

public static class EditOffer
{
    /// <param name="RowVersion">The row version the editor read; a stale one is refused with 409.</param>
    public sealed record Command(Guid Id, OfferInput Offer, uint? RowVersion = null) : ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Offer).NotNull().SetValidator(new OfferInputValidator());
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var (offer, _) = await OfferAccess.LoadForChangeAsync(db, user, request.Id,
                (providerId, _) => OfferAccess.CanManage(user, providerId), "edit", ct);
            OfferAccess.ExpectRowVersion(db, offer, request.RowVersion);
            await OfferInputRules.EnsureProviderMayAsync(db, offer.ProviderId, request.Offer, ct);
            offer.Edit(request.Offer.ToContent(), clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return offer.Id;
        }
    }
}
