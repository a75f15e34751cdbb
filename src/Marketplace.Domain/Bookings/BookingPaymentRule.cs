namespace Marketplace.Domain.Bookings;

/// <summary>
/// The one booking-payment rule. A booking is paid unit by unit in this order: the tier's included
/// adviser sessions, then credits (held at request), then pounds at the offer's pay-as-you-use price
/// (invoiced after delivery). Whatever is charged later (sign-off of a delivery, a dispute's
/// resolution, a cancellation) consumes the units in the same order.
/// </summary>
public static class BookingPaymentRule
{
    /// <summary>How a request for <paramref name="quantity"/> units is paid.</summary>
    /// <param name="sessionsLeft">Included adviser sessions the school may still use on this booking (0 when the offer or provider does not qualify).</param>
    /// <param name="creditsAvailable">The wallet's credits when the buyer agreed to pay a shortfall in pounds; null when the booking is paid in
    /// credits only (the hold then refuses a shortfall).</param>
    /// <param name="pencePerPoundUnit">The pay-as-you-use price of one unit after the tier discount (<see cref="Common.TierDiscount"/>).</param>
    public static BookingPayment Plan(int quantity, int creditsPerUnit, int sessionsLeft, long? creditsAvailable, long pencePerPoundUnit, Guid? sessionSubscriptionId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
        var sessions = Math.Clamp(sessionsLeft, 0, quantity);
        var creditUnits = quantity - sessions;
        var poundUnits = 0;
        if (creditsAvailable is { } available && creditUnits > 0 && creditsPerUnit > 0)
        {
            var affordable = (int)Math.Min(creditUnits, Math.Max(available, 0) / creditsPerUnit);
            poundUnits = creditUnits - affordable;
            creditUnits = affordable;
        }
        return new BookingPayment(sessions, creditUnits, poundUnits, creditsPerUnit, poundUnits > 0 ? pencePerPoundUnit : 0, sessions > 0 ? sessionSubscriptionId : null);
    }

    /// <summary>What <paramref name="quantity"/> delivered (or agreed) units cost: sessions first, then credit units, then pound units.</summary>
    public static BookingCharge Charge(BookingPayment payment, int quantity)
    {
        var sessions = Math.Min(quantity, payment.SessionUnits);
        var creditUnits = Math.Min(Math.Max(quantity - payment.SessionUnits, 0), payment.CreditUnits);
        var poundUnits = Math.Max(quantity - payment.SessionUnits - payment.CreditUnits, 0);
        return new BookingCharge(sessions, creditUnits * payment.CreditsPerUnit, poundUnits * payment.PencePerUnit);
    }

    /// <summary>
    /// What a cancellation charged at <paramref name="percent"/> costs: at 100 % the whole booking as if delivered (sessions
    /// included); below, that share of the credits and of the pounds, each rounded up to a whole unit, and the included
    /// sessions go back unused.
    /// </summary>
    public static BookingCharge Cancellation(BookingPayment payment, int percent) =>
        percent >= 100
            ? Charge(payment, payment.Quantity)
            : percent <= 0
                ? new BookingCharge(0, 0, 0)
                : new BookingCharge(0, CancellationTerms.Percent(payment.CreditUnits * payment.CreditsPerUnit, percent),
                    CancellationTerms.Percent(payment.PoundUnits * payment.PencePerUnit, percent));
}
