using Marketplace.Domain.Organisations;

namespace Marketplace.Domain.Catalogue;

/// <summary>
/// Everything a provider writes about an offer. Tier prices are in credits; a null tier price means
/// that tier may not buy the offer. PricePence is the pay-as-you-go price in pounds for buyers without
/// a subscription or credits; PriceCredits the list price in credits.
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
    string ServiceStandards)
{
    public int? CreditsFor(Tier tier) => tier switch
    {
        Tier.Bronze => BronzeCredits,
        Tier.Silver => SilverCredits,
        Tier.Gold => GoldCredits,
        _ => null,
    };
}
