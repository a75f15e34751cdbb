using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;

namespace Marketplace.Application.Features.Bookings;

/// <summary>The side that did not propose a change rejects it, optionally with a note: the booking stays as it was.</summary>
public static class RejectBookingChange
{
    public sealed record Command(Guid Id, Guid ChangeId, string? Note = null) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(x => x.Note).MaximumLength(1000).WithMessage("Keep the note to 1,000 characters");
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, BookingMail mail, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var (booking, side) = await BookingAccess.FindForChangeAsync(db, user, request.Id, request.ChangeId, ct);
            booking.RejectChange(request.ChangeId, side, request.Note, user.UserId, clock.GetUtcNow());
            await mail.QueueAsync(booking, "change-rejected", ct, request.ChangeId.ToString("N"));
            await db.SaveChangesAsync(ct); // the answer and its emails in one write; the row version refuses a racing answer (409)
            return Unit.Value;
        }
    }
}
