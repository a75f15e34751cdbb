using Marketplace.Domain.Organisations;

namespace Marketplace.Domain.Catalogue;

/// <summary>
/// Invariants every version of an offer must keep, whoever creates it (API, UI, seeder). The
/// application's validators give field-level messages for the same rules before we get here.
/// </summary>
public static class OfferRules
{
    public const int TitleMaxLength = 200;
    public const int DescriptionMaxLength = 4000;
    public const int ServiceStandardsMaxLength = 2000;
    public const long MaxPricePence = 100_000_00; // £100,000: more than any single service in the seed papers
    public const int MaxCredits = 100_000;
    public const int MaxFreeCancellationWorkingDays = 60;

    public static void Validate(OfferContent c)
    {
        if (string.IsNullOrWhiteSpace(c.Title) || c.Title.Length > TitleMaxLength)
            throw new ArgumentException("Title is required and at most 200 characters.", nameof(c));
        if (string.IsNullOrWhiteSpace(c.Description) || c.Description.Length > DescriptionMaxLength)
            throw new ArgumentException("Description is required and at most 4000 characters.", nameof(c));
        if (c.ServiceStandards.Length > ServiceStandardsMaxLength)
            throw new ArgumentException("Service standards are at most 2000 characters.", nameof(c));
        if (c.Phases == Phase.None || (c.Phases & ~AllPhases) != 0)
            throw new ArgumentException("An offer serves at least one known phase.", nameof(c));
        if (c.PricePence is < 0 or > MaxPricePence)
            throw new ArgumentException("Price in pounds is out of range.", nameof(c));
        if (c.PriceCredits is < 1 or > MaxCredits)
            throw new ArgumentException("Price in credits is out of range.", nameof(c));
        foreach (var tierPrice in new[] { c.BronzeCredits, c.SilverCredits, c.GoldCredits })
            if (tierPrice is < 0 or > MaxCredits)
                throw new ArgumentException("Tier prices are out of range.", nameof(c));
        if (c.BronzeCredits is null && c.SilverCredits is null && c.GoldCredits is null)
            throw new ArgumentException("At least one tier must be able to buy the offer.", nameof(c));
        if (!TierPricesFallWithTier(c.BronzeCredits, c.SilverCredits, c.GoldCredits))
            throw new ArgumentException(TierPricesRiseMessage, nameof(c));
        if (c.FreeCancellationWorkingDays is < 0 or > MaxFreeCancellationWorkingDays)
            throw new ArgumentException("Free cancellation is 0 to 60 working days before.", nameof(c));
        if (c.LateCancellationPercent is < 0 or > 100)
            throw new ArgumentException("The late-cancellation charge is 0 to 100%.", nameof(c));
        if (c.PayAsYouUse && c.PricePence == 0)
            throw new ArgumentException("An offer paid for in pounds needs a price in pounds.", nameof(c));
    }

    public const string TierPricesRiseMessage =
        "Tier prices cannot rise with the tier: silver must cost no more credits than bronze, and gold no more than silver";

    /// <summary>
    /// A higher tier pays more for its subscription, so it never pays more credits for a service: bronze ≥ silver ≥ gold,
    /// comparing only the tiers that may buy the offer (null means that tier may not).
    /// </summary>
    public static bool TierPricesFallWithTier(int? bronze, int? silver, int? gold)
    {
        int? previous = null;
        foreach (var price in new[] { bronze, silver, gold })
        {
            if (price is not { } p) continue;
            if (previous is { } q && p > q) return false;
            previous = p;
        }
        return true;
    }

    public static readonly Phase AllPhases =
        Phase.Nursery | Phase.Primary | Phase.Secondary | Phase.AllThrough | Phase.Special | Phase.Pru;
}
