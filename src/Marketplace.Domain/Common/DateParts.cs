using System.Globalization;

namespace Marketplace.Domain.Common;

/// <summary>
/// A date typed as day, month and year in three boxes (the GOV.UK date input), read the way the design
/// system asks: spaces ignored, month numbers or names ("3", "Mar", "March"), and one message naming what
/// is wrong ("Date must include a month", "Date must be a real date") with the boxes that are at fault.
/// </summary>
public static class DateParts
{
    public sealed record Result(DateOnly? Date, string? Error, bool DayWrong, bool MonthWrong, bool YearWrong)
    {
        public bool IsEmpty => Date is null && Error is null;
    }

    private static readonly string[] MonthNames = CultureInfo.GetCultureInfo("en-GB").DateTimeFormat.MonthNames;

    /// <param name="label">How the field is named to the person, capitalised: "Preferred date", "Date".</param>
    public static Result Parse(string? day, string? month, string? year, string label = "Date")
    {
        day = Clean(day); month = Clean(month); year = Clean(year);
        if (day.Length == 0 && month.Length == 0 && year.Length == 0) return new(null, null, false, false, false);
        var missing = new List<string>();
        if (day.Length == 0) missing.Add("day");
        if (month.Length == 0) missing.Add("month");
        if (year.Length == 0) missing.Add("year");
        if (missing.Count > 0)
            return new(null, $"{label} must include a {string.Join(" and ", missing)}", day.Length == 0, month.Length == 0, year.Length == 0);

        var d = Number(day, 2);
        var m = MonthOf(month);
        if (year.Length != 4 || Number(year, 4) is not { } y)
            return new(null, "Year must include 4 numbers", false, false, true);
        if (d is null || m is null || d < 1 || m < 1 || m > 12 || d > DateTime.DaysInMonth(y < 1 ? 2000 : y, m.Value) || y < 1)
            return new(null, $"{label} must be a real date", d is null || d < 1 || d > 31 || (m is >= 1 and <= 12 && y >= 1 && d > DateTime.DaysInMonth(y, m.Value)),
                m is null or < 1 or > 12, y < 1);
        var date = new DateOnly(y, m.Value, d.Value);
        if (!ServiceDates.Contains(date)) return new(null, $"{label} {ServiceDates.OutOfRangeMessage}", false, false, true);
        return new(date, null, false, false, false);
    }

    private static string Clean(string? text) => new((text ?? "").Where(c => !char.IsWhiteSpace(c)).ToArray());

    private static int? Number(string text, int maxDigits) =>
        text.Length <= maxDigits && text.All(char.IsAsciiDigit) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static int? MonthOf(string text)
    {
        if (Number(text, 2) is { } n) return n;
        if (text.Length < 3) return null;
        for (var i = 0; i < 12; i++)
            if (MonthNames[i].StartsWith(text, StringComparison.OrdinalIgnoreCase)) return i + 1;
        return null;
    }
}
