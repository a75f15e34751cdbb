using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;

namespace Marketplace.Application.Features.Bookings;

/// <summary>The provider declines a request with a reason; the held credits go back to the school.</summary>
public static class DeclineBooking
{
    public sealed record Command(Guid Id, string? Reason) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Reason).NotEmpty().WithMessage("Give the school a reason");
            RuleFor(x => x.Reason).MaximumLength(1000).WithMessage("Keep the reason to 1,000 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, BookingSettlement settlement, BookingMail mail, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var booking = await BookingAccess.FindAsync(db, user, request.Id, ct);
            if (!user.IsAdmin() && !user.IsProviderUserOf(booking.ProviderId)) throw new ForbiddenException("Only the provider can decline a booking.");
            booking.Decline(request.Reason!, user.UserId, clock.GetUtcNow());
            await db.SaveChangesAsync(ct); // the row version refuses a racing answer (409)
            await settlement.SettleAsync(booking, booking.CapturedCredits, "declined", ct);
            await mail.QueueAsync(booking, "declined", ct);
            await db.SaveChangesAsync(ct);
            return Unit.Value;
        }
    }
}
