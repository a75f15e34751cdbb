using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;

namespace Marketplace.Application.Features.Offers;

/// <summary>LA quality assurance: the provider's home LA's commissioners send an offer back with a reason.</summary>
public static class RejectOffer
{
    public sealed record Command(Guid Id, string? Reason, uint? RowVersion = null) : ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Reason).NotEmpty().WithMessage("Enter the reason for rejecting the offer")
                .MaximumLength(1000).WithMessage("The reason must be 1000 characters or fewer");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var (offer, _) = await OfferAccess.LoadForChangeAsync(db, user, request.Id,
                (_, laId) => OfferAccess.CanApprove(user, laId), "reject", ct);
            OfferAccess.ExpectRowVersion(db, offer, request.RowVersion);
            offer.Reject(request.Reason!, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return offer.Id;
        }
    }
}
