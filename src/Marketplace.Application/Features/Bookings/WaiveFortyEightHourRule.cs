using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;

namespace Marketplace.Application.Features.Bookings;

/// <summary>The provider waives the 48-hour rule for a booking: a late cancellation is then charged at the offer's late rate, not in full.</summary>
public static class WaiveFortyEightHourRule
{
    public sealed record Command(Guid Id, string? Note) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(x => x.Note).MaximumLength(1000).WithMessage("Keep the note to 1,000 characters");
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var booking = await BookingAccess.FindAsync(db, user, request.Id, ct);
            if (!user.IsAdmin() && !user.IsProviderUserOf(booking.ProviderId)) throw new ForbiddenException("Only the provider can waive the 48-hour rule.");
            booking.WaiveLateRule(request.Note, user.UserId, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return Unit.Value;
        }
    }
}
