using System.Globalization;

namespace Marketplace.Domain.Common;

/// <summary>
/// Money is held as integer pence. Conversions from pounds entered by people round half away from zero
/// to the nearest penny ("PoundsToPence"), the rule a finance officer applies by hand.
/// </summary>
public static class Money
{
    private static readonly CultureInfo UkCulture = CultureInfo.GetCultureInfo("en-GB");

    public static long PoundsToPence(decimal pounds) =>
        (long)decimal.Round(pounds * 100m, 0, MidpointRounding.AwayFromZero);

    public static decimal PenceToPounds(long pence) => pence / 100m;

    /// <summary>£1,234.50; whole pounds are still shown with pence so columns line up.</summary>
    public static string Format(long pence)
    {
        var sign = pence < 0 ? "-" : string.Empty;
        var abs = Math.Abs((decimal)pence) / 100m;
        return sign + "£" + abs.ToString("#,##0.00", UkCulture);
    }
}
