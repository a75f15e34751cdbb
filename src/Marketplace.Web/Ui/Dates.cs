namespace Marketplace.Web.Ui;

/// <summary>Times are stored in UTC and shown in Europe/London, the way people in English schools read them.</summary>
public static class Dates
{
    private static readonly TimeZoneInfo London = Marketplace.Application.Common.UkClock.London;

    public static DateTimeOffset InLondon(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, London);

    public static string Day(DateTimeOffset utc) => InLondon(utc).ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
}
