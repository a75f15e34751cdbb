using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Catalogue;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Offers;

public static class CreateOffer
{
    /// <param name="ProviderId">Required for platform admins; a provider user always creates for its own provider.</param>
    public sealed record Command(OfferInput Offer, Guid? ProviderId = null) : ICommand<Guid>;

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
            Guid providerId;
            if (user.IsAdmin())
            {
                providerId = request.ProviderId
                    ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure("ProviderId", "Choose the provider the offer belongs to.")]);
                if (!await db.Providers.AnyAsync(p => p.Id == providerId, ct))
                    throw new ValidationException([new FluentValidation.Results.ValidationFailure("ProviderId", "No provider has this id.")]);
            }
            else if (user.ProviderId is { } own && user.IsInRole(Identity.Roles.Provider))
            {
                if (request.ProviderId is { } asked && asked != own)
                    throw new ForbiddenException("You can only create offers for your own organisation.");
                providerId = own;
            }
            else
            {
                throw new ForbiddenException("Only providers can create offers.");
            }

            await OfferInputRules.EnsureProviderMayAsync(db, providerId, request.Offer, ct);
            var offer = Offer.CreateDraft(Guid.NewGuid(), providerId, request.Offer.ToContent(), clock.GetUtcNow());
            db.Offers.Add(offer);
            await db.SaveChangesAsync(ct);
            return offer.Id;
        }
    }
}
