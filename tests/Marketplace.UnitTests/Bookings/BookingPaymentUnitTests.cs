using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;

namespace Marketplace.UnitTests.Bookings;

/// <summary>The order a booking is paid and charged in: included sessions, credits, pounds; and the change-proposal rules.</summary>
public class BookingPaymentUnitTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static Booking New(BookingPayment payment) => new(Guid.NewGuid(), "BK-TEST01", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(),
        Tier.Silver, OfferUnit.Session, payment, [], null, null, null, null, null, Now, "k", "h");

    [Fact]
    public void Delivered_units_consume_sessions_then_credits_then_pounds()
    {
        var b = New(new BookingPayment(1, 2, 2, 7, 400_00, Guid.NewGuid()));
        Assert.Equal((5, 14), (b.Quantity, b.TotalCredits));
        Assert.Equal(new BookingCharge(1, 0, 0), b.ChargeOf(1));
        Assert.Equal(new BookingCharge(1, 14, 0), b.ChargeOf(3));
        Assert.Equal(new BookingCharge(1, 14, 400_00), b.ChargeOf(4));
        Assert.Equal(new BookingCharge(1, 14, 800_00), b.ChargeOf(5));
        Assert.Equal("1 included adviser session, 14 credits held, £800.00 to pay in pounds", b.PaymentSummary);
    }

    [Fact]
    public void A_late_cancellation_charges_a_share_of_credits_and_pounds_but_gives_sessions_back()
    {
        var b = New(new BookingPayment(1, 3, 1, 5, 300_00, Guid.NewGuid()));
        b.Confirm(Guid.NewGuid(), [new DateOnly(2026, 12, 10)], null, Now);
        b.CancelConfirmed(byProvider: false, new CancellationCharge(8, "late", 50), null, null, Now);
        Assert.Equal((8, 150_00L, 0), (b.CapturedCredits, b.PenceDue, b.SessionsCounted));
    }

    [Fact]
    public void Cancelling_inside_48_hours_charges_everything_including_the_sessions()
    {
        var b = New(new BookingPayment(2, 1, 0, 5, 0, Guid.NewGuid()));
        b.Confirm(Guid.NewGuid(), [new DateOnly(2026, 11, 26)], null, Now);
        b.CancelConfirmed(byProvider: false, new CancellationCharge(5, "less than 48 hours", 100), null, null, Now);
        Assert.Equal((5, 2), (b.CapturedCredits, b.SessionsCounted));
    }

    [Fact]
    public void The_waiver_turns_a_within_48_hours_cancellation_into_the_late_rate()
    {
        var terms = new CancellationTerms(10, 50);
        var first = new DateOnly(2026, 11, 26);
        var start = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(100, terms.ChargeFor(10, first, start, new DateOnly(2026, 11, 25), Now).Percent);
        Assert.Equal((5, 50), (terms.ChargeFor(10, first, start, new DateOnly(2026, 11, 25), Now, lateRuleWaived: true) is var c ? (c.Credits, c.Percent) : default));
    }

    [Fact]
    public void Only_one_change_waits_at_a_time_and_the_proposer_cannot_accept_it()
    {
        var b = New(BookingPayment.InCredits(1, 5));
        var practitioner = Guid.NewGuid();
        var proposedBeforeConfirm = Assert.Throws<DomainRuleException>(() => b.ProposeChange(BookingSide.School, [new DateOnly(2026, 12, 3)], null, "Clash", false, null, Now));
        Assert.Equal("booking.state", proposedBeforeConfirm.Code);
        b.Confirm(practitioner, [new DateOnly(2026, 12, 2)], null, Now);

        var change = b.ProposeChange(BookingSide.School, [new DateOnly(2026, 12, 3)], null, "Clash", false, null, Now);
        Assert.Equal("booking.change-pending", Assert.Throws<DomainRuleException>(() => b.ProposeChange(BookingSide.Provider, [new DateOnly(2026, 12, 4)], null, "x", false, null, Now)).Code);
        Assert.Equal("booking.change-own", Assert.Throws<DomainRuleException>(() => b.AcceptChange(change.Id, BookingSide.School, null, Now)).Code);

        b.AcceptChange(change.Id, BookingSide.Provider, null, Now);
        Assert.Equal([new DateOnly(2026, 12, 3)], b.ConfirmedDates);
        Assert.False(b.LateRuleWaived);
        Assert.Equal("booking.change-practitioner", Assert.Throws<DomainRuleException>(() => b.ProposeChange(BookingSide.School, [new DateOnly(2026, 12, 4)], Guid.NewGuid(), "x", false, null, Now)).Code);
        Assert.Equal("booking.change-answered", Assert.Throws<DomainRuleException>(() => b.RejectChange(change.Id, BookingSide.Provider, null, null, Now)).Code);
    }

    [Fact]
    public void A_pending_change_lapses_when_the_work_is_delivered()
    {
        var b = New(BookingPayment.InCredits(1, 5));
        b.Confirm(Guid.NewGuid(), [new DateOnly(2026, 12, 2)], null, Now);
        var change = b.ProposeChange(BookingSide.Provider, [new DateOnly(2026, 12, 3)], null, "Consultant ill", false, null, Now);
        b.Deliver([new DateOnly(2026, 12, 2)], 1, 300, "Went ahead", null, Now);
        Assert.Equal(BookingChangeStatus.Withdrawn, change.Status);
    }
}

/// <summary>The one booking-payment rule, planned at request: included sessions, then credits, then pounds.</summary>
public class BookingPaymentRuleTests
{
    private static readonly Guid Subscription = Guid.NewGuid();

    [Fact]
    public void Sessions_come_first_then_credits()
    {
        Assert.Equal(new BookingPayment(2, 3, 0, 7, 0, Subscription), BookingPaymentRule.Plan(5, 7, sessionsLeft: 2, creditsAvailable: null, 400_00, Subscription));
        // More sessions left than units: only what is booked is used.
        Assert.Equal(new BookingPayment(3, 0, 0, 7, 0, Subscription), BookingPaymentRule.Plan(3, 7, sessionsLeft: 5, creditsAvailable: null, 400_00, Subscription));
        // Sessions already overspent (negative left) count as none, and no subscription is named.
        Assert.Equal(new BookingPayment(0, 3, 0, 7, 0, null), BookingPaymentRule.Plan(3, 7, sessionsLeft: -1, creditsAvailable: null, 400_00, Subscription));
    }

    [Fact]
    public void Pounds_cover_only_what_the_credits_cannot_and_only_when_the_buyer_asked()
    {
        // 20 credits buy two units at 7 credits: the other two are paid in pounds.
        Assert.Equal(new BookingPayment(1, 2, 2, 7, 360_00, Subscription), BookingPaymentRule.Plan(5, 7, 1, creditsAvailable: 20, 360_00, Subscription));
        // Enough credits: no pounds and no pound price recorded.
        Assert.Equal(new BookingPayment(0, 4, 0, 7, 0, null), BookingPaymentRule.Plan(4, 7, 0, creditsAvailable: 100, 360_00, null));
        // An empty (or overdrawn) wallet: everything after the sessions is paid in pounds.
        Assert.Equal(new BookingPayment(0, 0, 3, 7, 360_00, null), BookingPaymentRule.Plan(3, 7, 0, creditsAvailable: -5, 360_00, null));
        // Credits only (the buyer did not agree to pounds): the hold decides, the plan asks for every credit.
        Assert.Equal(new BookingPayment(0, 3, 0, 7, 0, null), BookingPaymentRule.Plan(3, 7, 0, creditsAvailable: null, 360_00, null));
        // A free offer never needs pounds.
        Assert.Equal(new BookingPayment(0, 3, 0, 0, 0, null), BookingPaymentRule.Plan(3, 0, 0, creditsAvailable: 0, 360_00, null));
    }

    [Fact]
    public void A_cancellation_share_rounds_up_and_gives_sessions_back_while_a_full_charge_uses_them()
    {
        var payment = new BookingPayment(1, 3, 1, 5, 300_01, Subscription);
        Assert.Equal(new BookingCharge(0, 8, 150_01), BookingPaymentRule.Cancellation(payment, 50)); // 7.5 → 8 credits, 150.005 → 150.01
        Assert.Equal(new BookingCharge(1, 15, 300_01), BookingPaymentRule.Cancellation(payment, 100));
        Assert.Equal(new BookingCharge(0, 0, 0), BookingPaymentRule.Cancellation(payment, 0));
    }
}
