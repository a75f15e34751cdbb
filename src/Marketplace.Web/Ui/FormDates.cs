using System.Globalization;

namespace Marketplace.Web.Ui;

/// <summary>Dates as people in England read them: "14 January 2027". Typed dates come through <see cref="DateInput"/>.</summary>
public static class FormDates
{
    public static string Long(DateOnly d) => d.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));

    public static string List(IEnumerable<DateOnly> dates) => string.Join(", ", dates.Select(Long));
}
