using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Bookings;

/// <summary>
/// Either side proposes new dates for a confirmed booking (the provider may also name another
/// practitioner); the other side accepts or rejects, the proposer may withdraw. Both see the proposals
/// and answers in the booking's history. A school's change less than 48 hours before the booked start
/// is late: under the 48-hour rule the booking would count as delivered, so only the provider can let
/// it through, and accepting it waives the rule.
/// </summary>
public static class ProposeBookingChange
{
    public sealed record Command(Guid Id, IReadOnlyList<DateOnly>? Dates, Guid? PractitionerId, string? Reason) : ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(x => x.Dates).NotEmpty().WithMessage("Give the new date or dates").Must(d => d is null || d.Count <= 100).WithMessage("Give at most 100 dates");
            RuleForEach(x => x.Dates).Must(d => BookingDates.Refusal(d, clock.Today()) is null).WithMessage((_, d) => BookingDates.Refusal(d, clock.Today()));
            RuleFor(x => x.Reason).NotEmpty().WithMessage("Say why the booking needs to move").MaximumLength(1000).WithMessage("Keep the reason to 1,000 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, BookingMail mail, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var booking = await BookingAccess.FindAsync(db, user, request.Id, ct);
            var side = BookingAccess.SideOf(user, booking);
            if (request.PractitionerId is { } pid && side == BookingSide.Provider
                && !await db.Practitioners.AnyAsync(p => p.Id == pid && p.ProviderId == booking.ProviderId, ct))
                throw new ValidationException([new("PractitionerId", "Choose one of your practitioners")]);
            await Terms.TermTime.EnsureInTermAsync(db, booking.SchoolId, booking.OfferVersionId, request.Dates, "Dates", ct);
            var now = clock.GetUtcNow();
            var late = booking.FirstDate is { } first && CancellationTerms.WithinFortyEightHours(BookingAccess.StartOf(first), now) && !booking.LateRuleWaived;
            var change = booking.ProposeChange(side, request.Dates!, request.PractitionerId, request.Reason!, late, user.UserId, now);
            await mail.QueueAsync(booking, "change-proposed", ct, change.Id.ToString("N"));
            await db.SaveChangesAsync(ct); // the one-pending index and the row version refuse a racing second proposal (409)
            return change.Id;
        }
    }
}
