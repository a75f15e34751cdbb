using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Bookings;

/// <summary>
/// The school's LA's commissioners settle a disputed delivery: they charge some or all of what the
/// provider recorded (captured, with earnings as on sign-off) and release the rest to the school.
/// </summary>
public static class ResolveDispute
{
    public sealed record Command(Guid Id, int? ChargedQuantity, string? Note) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.ChargedQuantity).NotNull().WithMessage("Enter how much of the delivery to charge (0 for nothing)")
                .InclusiveBetween(0, 100).WithMessage("Charge between 0 and what was delivered");
            RuleFor(x => x.Note).NotEmpty().WithMessage("Record why the dispute was settled this way").MaximumLength(1000).WithMessage("Keep the note to 1,000 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, BookingSettlement settlement, BookingMail mail, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var booking = await BookingAccess.FindAsync(db, user, request.Id, ct);
            if (!user.IsAdmin() && !user.IsCommissionerOf(booking.SellerLaId))
                throw new ForbiddenException("Only the school's local authority's commissioners resolve disputes.");
            booking.ResolveDispute(request.ChargedQuantity!.Value, request.Note!, user.UserId, clock.GetUtcNow());
            await db.SaveChangesAsync(ct); // the row version refuses a racing sign-off or second resolution (409)
            await settlement.SettleAsync(booking, booking.CapturedCredits, "dispute resolved", ct);
            await mail.QueueAsync(booking, "resolved", ct);
            await db.SaveChangesAsync(ct);
            return Unit.Value;
        }
    }
}
