using Marketplace.Application.Features.Credits;
using Marketplace.Domain.Common;

namespace Marketplace.Web.Ui;

/// <summary>Credits as schools read them: with thousands separators and, when we know the school's LA, their value in pounds.</summary>
public static class CreditText
{
    /// <summary>"12 credits (£540.00)", or "12 credits" when the value is not known (a visitor).</summary>
    public static string Of(long credits, GetCreditValue.Result? value) =>
        $"{credits:N0} credit{(credits == 1 ? "" : "s")}" + (value is null ? "" : $" ({Money.Format(value.ValueOf(credits))})");

    /// <summary>What a credit costs the school and whether its tier's discount applies.</summary>
    public static string Explain(GetCreditValue.Result value) =>
        $"A credit is worth {Money.Format(value.CreditPricePence)}, your council's credit price. "
        + (value.Discounted
            ? $"At {DisplayNames.Lower(value.Tier!.Value)} tier your school buys extra credits at {Money.Format(value.DiscountedPricePence)} each ({value.DiscountBasisPoints / 100m:0.##}% off)."
            : value.Tier is { } tier
                ? $"Your {DisplayNames.Lower(tier)} tier has no discount on extra credits."
                : "Your school has no subscription, so no tier discount applies to extra credits.");
}
