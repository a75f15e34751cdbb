using System.Globalization;
using FluentValidation;

namespace Marketplace.Web.Ui;

/// <summary>Dates typed into forms as YYYY-MM-DD; several may be separated by commas or spaces.</summary>
public static class FormDates
{
    public static IReadOnlyList<DateOnly>? Parse(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var dates = new List<DateOnly>();
        foreach (var part in text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!DateOnly.TryParseExact(part, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                throw new ValidationException([new(field, "Enter dates as YYYY-MM-DD, for example 2027-01-12")]);
            dates.Add(d);
        }
        return dates;
    }

    public static string Long(DateOnly d) => d.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));

    public static string List(IEnumerable<DateOnly> dates) => string.Join(", ", dates.Select(Long));
}
