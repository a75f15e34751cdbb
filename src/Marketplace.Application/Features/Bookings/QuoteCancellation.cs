using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Bookings;

/// <summary>
/// What cancelling a booking now would charge and give back, before anyone commits to it: a request is
/// withdrawn free; a confirmed booking cancelled by the school is charged by the offer's terms, by the
/// provider it is free. <see cref="CancelBooking"/> decides through the same <see cref="DecideAsync"/> and
/// settles the same <see cref="Booking.CancellationSettlement"/>, so the check page and the cancellation agree.
/// Nothing is saved.
/// </summary>
public static class QuoteCancellation
{
    public sealed record Query(Guid Id) : IQuery<Result>;

    /// <summary>
    /// The charge (sessions used, credits to the provider, pounds to pay) and what goes back (sessions, credits to
    /// the school's balance, pounds no longer owed), with the rule that applied and the credits' value in pounds at
    /// the school's LA credit price.
    /// </summary>
    public sealed record Result(Guid BookingId, string Reference, bool IsRequest, bool ByProvider, int Percent, string Rule,
        int SessionsUsed, int CreditsCharged, long PenceCharged, int SessionsReturned, int CreditsReturned, long PenceNotOwed,
        long CreditPricePence)
    {
        public bool IsFree => SessionsUsed == 0 && CreditsCharged == 0 && PenceCharged == 0;
        public long CreditsChargedValuePence => checked(CreditsCharged * CreditPricePence);
        public long CreditsReturnedValuePence => checked(CreditsReturned * CreditPricePence);
    }

    /// <summary>Who is cancelling and, for a confirmed booking, the charge by the offer's terms (null for a request, which is free).</summary>
    public sealed record Decision(bool ByProvider, CancellationCharge? Charge);

    /// <summary>The permission checks and the charge a cancellation by the caller, now, would meet (403 for a side that may not cancel).</summary>
    public static async Task<Decision> DecideAsync(MarketplaceDbContext db, ICurrentUser user, Booking booking, TimeProvider clock, CancellationToken ct)
    {
        var isProvider = user.IsProviderUserOf(booking.ProviderId);
        var isSchool = user.IsBuyerFor(booking.SchoolId);
        if (booking.Status == BookingStatus.Requested)
        {
            if (!user.IsAdmin() && !isSchool) throw new ForbiddenException("Only the school can withdraw its request; the provider declines it.");
            return new Decision(false, null);
        }
        if (booking.Status != BookingStatus.Confirmed)
            throw new DomainRuleException("booking.state", $"This booking is {DisplayNames.Lower(booking.Status)}, so it cannot be cancelled."); // as Booking.CancelConfirmed says
        if (!user.IsAdmin() && !isSchool && !isProvider) throw new ForbiddenException("Only the school or the provider can cancel a booking.");
        var now = clock.GetUtcNow();
        var first = booking.ConfirmedDates.Count > 0 ? booking.ConfirmedDates[0] : clock.Today();
        var terms = await BookingAccess.TermsAsync(db, booking, ct);
        return new Decision(isProvider, terms.ChargeFor(booking.TotalCredits, first, BookingAccess.StartOf(first), clock.Today(), now, booking.LateRuleWaived));
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var booking = await BookingAccess.FindAsync(db, user, request.Id, ct);
            var decision = await DecideAsync(db, user, booking, clock, ct);
            var charged = decision.Charge is { } charge ? booking.CancellationSettlement(decision.ByProvider, charge) : new BookingCharge(0, 0, 0);
            var creditPrice = await db.Schools.Where(s => s.Id == booking.SchoolId).Select(s => s.LocalAuthority!.CreditPricePence).SingleAsync(ct);
            var rule = decision.Charge is null ? "not yet confirmed by the provider: free"
                : decision.ByProvider ? "cancelled by the provider: free to the school" : decision.Charge.Rule;
            return new Result(booking.Id, booking.Reference, decision.Charge is null, decision.ByProvider, decision.ByProvider ? 0 : decision.Charge?.Percent ?? 0, rule,
                charged.SessionsUsed, charged.Credits, charged.Pence, booking.SessionUnits - charged.SessionsUsed,
                booking.TotalCredits - charged.Credits, checked(booking.PoundUnits * booking.PencePerUnit) - charged.Pence, creditPrice);
        }
    }
}
