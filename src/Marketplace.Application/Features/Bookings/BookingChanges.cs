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
            RuleForEach(x => x.Dates).Must(d => d > clock.Today()).WithMessage("New dates must be in the future");
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
            var now = clock.GetUtcNow();
            var late = booking.FirstDate is { } first && CancellationTerms.WithinFortyEightHours(AnswerBooking.StartOf(first), now) && !booking.LateRuleWaived;
            var change = booking.ProposeChange(side, request.Dates!, request.PractitionerId, request.Reason!, late, user.UserId, now);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct); // the one-pending index and the row version refuse a racing second proposal (409)
            await mail.QueueAsync(booking, "change-proposed", ct, change.Id.ToString("N"));
            await tx.CommitAsync(ct);
            return change.Id;
        }
    }
}

public static class AnswerBookingChange
{
    public enum Kind { Accept, Reject, Withdraw }

    public sealed record Command(Guid Id, Guid ChangeId, Kind Action, string? Note = null) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(x => x.Note).MaximumLength(1000).WithMessage("Keep the note to 1,000 characters");
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, BookingMail mail, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var booking = await BookingAccess.FindAsync(db, user, request.Id, ct);
            if (booking.Changes.All(c => c.Id != request.ChangeId)) throw new NotFoundException("Proposed change", request.ChangeId);
            var side = BookingAccess.SideOf(user, booking);
            var now = clock.GetUtcNow();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            switch (request.Action)
            {
                case Kind.Accept:
                    var change = booking.AcceptChange(request.ChangeId, side, user.UserId, now);
                    await Availability.EnsureAvailableAsync(db, change.PractitionerId!.Value, booking.ConfirmedDates, ct);
                    // Move the practitioner's slots: the old ones go first, so moving within the same days works.
                    await db.BookingSlots.Where(s => s.BookingId == booking.Id).ExecuteDeleteAsync(ct);
                    foreach (var d in booking.ConfirmedDates) db.BookingSlots.Add(new BookingSlot(change.PractitionerId!.Value, d, booking.Id));
                    await Availability.SaveSlotsAsync(db, ct);
                    await mail.QueueAsync(booking, "change-accepted", ct, change.Id.ToString("N"));
                    break;
                case Kind.Reject:
                    booking.RejectChange(request.ChangeId, side, request.Note, user.UserId, now);
                    await db.SaveChangesAsync(ct);
                    await mail.QueueAsync(booking, "change-rejected", ct, request.ChangeId.ToString("N"));
                    break;
                default:
                    booking.WithdrawChange(request.ChangeId, side, user.UserId, now);
                    await db.SaveChangesAsync(ct);
                    break;
            }
            await tx.CommitAsync(ct);
            return Unit.Value;
        }
    }
}

/// <summary>The provider waives the 48-hour rule for a booking: a late cancellation is then charged at the offer's late rate, not in full.</summary>
public static class WaiveLateRule
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
