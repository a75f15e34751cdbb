using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;

namespace Marketplace.Application.Features.Bookings;

/// <summary>The provider records what was delivered (dates, quantity, minutes, a visit note; partial delivery allowed); the school then signs off or disputes.</summary>
public static class RecordDelivery
{
    public sealed record Command(Guid Id, IReadOnlyList<DateOnly>? Dates, int? Quantity, int? Minutes, string? Note) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(x => x.Dates).NotEmpty().WithMessage("Give the date or dates the work was done");
            RuleForEach(x => x.Dates).Must(d => d <= clock.Today()).WithMessage("Delivery dates cannot be in the future");
            RuleFor(x => x.Quantity).NotNull().WithMessage("Enter how much was delivered").InclusiveBetween(1, 100).WithMessage("Enter how much was delivered");
            RuleFor(x => x.Minutes).NotNull().WithMessage("Enter how long the work took").InclusiveBetween(1, 100 * 24 * 60).WithMessage("Enter how long the work took, in minutes");
            RuleFor(x => x.Note).NotEmpty().WithMessage("Write a short note of the visit").MaximumLength(2000).WithMessage("Keep the note to 2,000 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, BookingMail mail, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var booking = await BookingAccess.FindAsync(db, user, request.Id, ct);
            if (!user.IsAdmin() && !user.IsProviderUserOf(booking.ProviderId)) throw new ForbiddenException("Only the provider records delivery.");
            booking.Deliver(request.Dates!, request.Quantity!.Value, request.Minutes!.Value, request.Note!, user.UserId, clock.GetUtcNow());
            await mail.QueueAsync(booking, "delivered", ct);
            await db.SaveChangesAsync(ct); // the booking and its email in one write; the row version refuses a racing change (409)
            return Unit.Value;
        }
    }
}
