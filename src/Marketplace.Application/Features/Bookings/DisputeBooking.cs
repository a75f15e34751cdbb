using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;

namespace Marketplace.Application.Features.Bookings;

/// <summary>The school disputes a delivery with a reason; the credits stay held until the LA's commissioners resolve it.</summary>
public static class DisputeBooking
{
    /// <param name="Note">The school's reason (named Note: validation errors have always been reported under "note").</param>
    public sealed record Command(Guid Id, string? Note) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() =>
            RuleFor(x => x.Note).NotEmpty().WithMessage("Say what is wrong").MaximumLength(1000).WithMessage("Keep it to 1,000 characters");
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, BookingMail mail, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var booking = await BookingAccess.FindAsync(db, user, request.Id, ct);
            if (!user.IsBuyerFor(booking.SchoolId)) throw new ForbiddenException("Only the school can dispute its booking.");
            booking.Dispute(request.Note!, user.UserId, clock.GetUtcNow());
            await mail.QueueAsync(booking, "disputed", ct);
            await db.SaveChangesAsync(ct); // the booking and its emails in one write; the row version refuses a racing change (409)
            return Unit.Value;
        }
    }
}
