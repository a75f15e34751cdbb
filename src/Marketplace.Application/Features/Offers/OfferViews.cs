using Marketplace.Application.Common;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Organisations;

namespace Marketplace.Application.Features.Offers;

public sealed record TierPrices(int? Bronze, int? Silver, int? Gold);

public sealed record OfferProvider(Guid Id, string Name, ProviderKind Kind, int LaCode, string LaName);

/// <summary>A catalogue card: the published version of an offer.</summary>
public sealed record OfferSummary(
    Guid Id,
    int Version,
    string Title,
    string Summary,
    OfferCategory Category,
    Subject Subject,
    IReadOnlyList<string> Phases,
    OfferUnit Unit,
    long PricePence,
    int PriceCredits,
    TierPrices TierPrices,
    OfferProvider Provider);

/// <summary>
/// One offer in full. For buyers and the public this is the published version; the provider and the
/// approving LA also see the status and the version being worked on.
/// </summary>
public sealed record OfferDetail(
    Guid Id,
    OfferStatus Status,
    int Version,
    Guid VersionId,
    string Title,
    string Description,
    OfferCategory Category,
    Subject Subject,
    IReadOnlyList<string> Phases,
    OfferUnit Unit,
    long PricePence,
    int PriceCredits,
    TierPrices TierPrices,
    string ServiceStandards,
    OfferProvider Provider,
    bool IsListed,
    int? PublishedVersion,
    string? RejectionReason,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The row version to send back with an edit (only shown to those who may edit).</summary>
    public uint? RowVersion { get; init; }

    /// <summary>Cancellation, pay-as-you-use and adviser-session terms of this version.</summary>
    public OfferBookingTerms Terms { get; init; } = OfferBookingTerms.Default;
}

public sealed record OfferBookingTerms(int FreeCancellationWorkingDays, int LateCancellationPercent, bool PayAsYouUse, bool UsesAdviserSessions, bool DeliveredInSchoolHolidays = false)
{
    public static readonly OfferBookingTerms Default = new(10, 50, false, false);
}

public static class OfferViewMapping
{
    public static IReadOnlyList<string> PhaseNames(Phase phases) =>
        phases.Each().Select(p => EnumText.Api(p)).ToList();

    public static string Summarise(string description)
    {
        const int max = 240;
        if (description.Length <= max) return description;
        var cut = description.LastIndexOf(' ', max);
        return description[..(cut > 0 ? cut : max)].TrimEnd(',', '.', ';') + "…";
    }
}

/// <summary>An offer as its provider or approving LA sees it in a work list: the latest version and its state.</summary>
public sealed record ManagedOffer(
    Guid Id,
    string Title,
    OfferStatus Status,
    int Version,
    bool IsListed,
    OfferCategory Category,
    Subject Subject,
    int PriceCredits,
    string ProviderName,
    string? RejectionReason,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? SubmittedAt);
