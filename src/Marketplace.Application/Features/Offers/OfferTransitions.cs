using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;

namespace Marketplace.Application.Features.Offers;

/// <summary>Provider moves: submit a draft for approval, withdraw an offer.</summary>
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

/// <summary>LA quality assurance: the provider's home LA approves or rejects with a reason.</summary>
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
