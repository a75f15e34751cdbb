using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;

namespace Marketplace.Application.Features.Bookings;

/// <summary>The side that proposed a change withdraws it before it is answered.</summary>
public static class WithdrawBookingChange
{
    public sealed record Command(Guid Id, Guid ChangeId, string? Note = null) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(x => x.Note).MaximumLength(1000).WithMessage("Keep the note to 1,000 characters");
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var (booking, side) = await BookingAccess.FindForChangeAsync(db, user, request.Id, request.ChangeId, ct);
            booking.WithdrawChange(request.ChangeId, side, user.UserId, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return Unit.Value;
        }
    }
}
