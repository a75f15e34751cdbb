using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Organisations;

namespace Marketplace.Web.Ui;

/// <summary>How enum values read to people: the pages' door to <see cref="DisplayNames"/>, plus tag colours.</summary>
public static class Labels
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => DisplayNames.Of(value);

    public static string Of(string apiName) => apiName;

    public static string Phases(IEnumerable<string> apiNames) =>
        string.Join(", ", apiNames.Select(DisplayNames.OfName<Phase>));

    public static string StatusTagClass(OfferStatus status) => status switch
    {
        OfferStatus.Draft => "govuk-tag--grey",
        OfferStatus.AwaitingApproval => "govuk-tag--yellow",
        OfferStatus.Published => "govuk-tag--green",
        _ => "govuk-tag--red",
    };
}
