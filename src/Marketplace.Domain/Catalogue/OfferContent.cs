using Marketplace.Domain.Organisations;

namespace Marketplace.Domain.Catalogue;

/// <summary>
/// Everything a provider writes about an offer. Tier prices are in credits; a null tier price means
/// that tier may not buy the offer. PricePence is the pay-as-you-go price in pounds for buyers without
/// a subscription or credits; PriceCredits the list price in credits.
/// Booking terms: a school may cancel free up to <see cref="FreeCancellationWorkingDays"/> working days
/// before, later at <see cref="LateCancellationPercent"/>%; <see cref="PayAsYouUse"/> lets a school pay
/// in pounds (at <see cref="PricePence"/> a unit) for what its credits do not cover;
/// <see cref="UsesAdviserSessions"/> lets subscribers take it from their tier's included adviser
/// sessions (only the school's own LA's traded service can offer that); <see cref="DeliveredInSchoolHolidays"/>
/// lets it be booked outside the LA's school terms (a holiday course).
/// </summary>
public sealed record OfferContent(
    string Title,
    string Description,
    OfferCategory Category,
    Subject Subject,
    Phase Phases,
    OfferUnit Unit,
    long PricePence,
    int PriceCredits,
    int? BronzeCredits,
    int? SilverCredits,
    int? GoldCredits,
    string ServiceStandards,
    int FreeCancellationWorkingDays = 10,
    int LateCancellationPercent = 50,
    bool PayAsYouUse = false,
    bool UsesAdviserSessions = false,
    bool DeliveredInSchoolHolidays = false)
{
    public int? CreditsFor(Tier tier) => tier switch
    {
        Tier.Bronze => BronzeCredits,
        Tier.Silver => SilverCredits,
        Tier.Gold => GoldCredits,
        _ => null,
    };
}
