using System.Globalization;
using FluentValidation;
using FluentValidation.Results;
using Marketplace.Domain.Common;

namespace Marketplace.Web.Ui;

/// <summary>
/// A date as typed into the GOV.UK date input (day, month and year boxes), bound from "Key.Day", "Key.Month"
/// and "Key.Year". Read with <see cref="Read"/>: the parser is <see cref="DateParts"/>, and a wrong date
/// becomes a field error under the page's key, as a command's failure does. Shown with the _DateInput partial.
/// </summary>
public sealed class DateInput
{
    public string? Day { get; set; }
    public string? Month { get; set; }
    public string? Year { get; set; }

    public static DateInput Of(DateOnly? date) => date is { } d
        ? new() { Day = d.Day.ToString(CultureInfo.InvariantCulture), Month = d.Month.ToString(CultureInfo.InvariantCulture), Year = d.Year.ToString(CultureInfo.InvariantCulture) }
        : new();

    public bool IsEmpty => DateParts.Parse(Day, Month, Year).IsEmpty;

    /// <summary>The date, null when all three boxes are empty; a wrong date throws a field error for <paramref name="key"/>.</summary>
    public DateOnly? Read(string key, string label) => ReadAll([this], [key], label) is [var d] ? d : null;

    /// <summary>The dates of several inputs, blanks skipped; every wrong one is named (under its own key) at once.</summary>
    public static IReadOnlyList<DateOnly>? ReadAll(IReadOnlyList<DateInput> inputs, IReadOnlyList<string> keys, string label)
    {
        var dates = new List<DateOnly>();
        var failures = new List<ValidationFailure>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var r = DateParts.Parse(inputs[i].Day, inputs[i].Month, inputs[i].Year, label);
            if (r.Error is not null) failures.Add(new(keys[i], r.Error));
            else if (r.Date is { } d) dates.Add(d);
        }
        if (failures.Count > 0) throw new ValidationException(failures);
        return dates.Count == 0 ? null : dates;
    }
}

/// <summary>What the _DateInput partial shows: the key the input binds to and its errors live under, the legend and hint.</summary>
public sealed record DateInputView(string Key, string Legend, DateInput? Value, string? Hint = null, string? LegendClass = "govuk-fieldset__legend--s")
{
    public const string ExampleHint = "For example, 27 3 2027";
}
