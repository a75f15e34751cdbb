using FluentValidation.Results;
using Marketplace.Domain.Calendar;

namespace Marketplace.Application.Features.Terms;

/// <summary>What a year of terms must be, whether it comes from the page, the API or a CSV row: the one check all three use.</summary>
public static class TermRules
{
    public const int FirstYear = 2000;
    public const int LastYear = 2098;
    public const int MaxTerms = 12;
    public const int MaxInsetDays = 20;
    public const string YearMessage = "Give the year the academic year starts in, from 2000 to 2098 (2026 for 2026/27)";

    public sealed record TermInput(string? Name, DateOnly? StartsOn, DateOnly? EndsOn);

    private static string Long(DateOnly d) => d.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));

    /// <summary>Every problem with a year's terms and INSET days, each under the field it belongs to.</summary>
    public static List<ValidationFailure> Check(int year, IReadOnlyList<TermInput> terms, IReadOnlyList<DateOnly> insetDays)
    {
        var failures = new List<ValidationFailure>();
        if (year is < FirstYear or > LastYear) return [new("Year", YearMessage)];
        var (first, last) = (AcademicYears.Start(year), AcademicYears.End(year));
        var within = $"between {Long(first)} and {Long(last)} (academic year {AcademicYears.Name(year)})";
        if (terms.Count > MaxTerms) failures.Add(new("Terms", $"Give at most {MaxTerms} terms a year"));
        if (insetDays.Count > MaxInsetDays) failures.Add(new("InsetDays", $"Give at most {MaxInsetDays} INSET days a year"));
        if (failures.Count > 0) return failures; // too many to check one by one
        for (var i = 0; i < terms.Count; i++)
        {
            var t = terms[i];
            var key = $"Terms[{i}]";
            if (string.IsNullOrWhiteSpace(t.Name)) failures.Add(new(key + ".Name", "Enter the term's name, for example Autumn 1"));
            else if (t.Name.Trim().Length > 100) failures.Add(new(key + ".Name", "Keep the term's name to 100 characters"));
            if (t.StartsOn is not { } s) failures.Add(new(key + ".StartsOn", "Enter the first day of the term"));
            else if (s < first || s > last) failures.Add(new(key + ".StartsOn", $"The first day must be {within}"));
            if (t.EndsOn is not { } e) failures.Add(new(key + ".EndsOn", "Enter the last day of the term"));
            else if (e < first || e > last) failures.Add(new(key + ".EndsOn", $"The last day must be {within}"));
            else if (t.StartsOn is { } s2 && e < s2) failures.Add(new(key + ".EndsOn", "The last day must be on or after the first day"));
        }
        var ordered = terms.Select((t, i) => (t, i)).Where(x => x.t.StartsOn is not null && x.t.EndsOn is not null && x.t.EndsOn >= x.t.StartsOn)
            .OrderBy(x => x.t.StartsOn).ToList();
        for (var k = 1; k < ordered.Count; k++)
            if (ordered[k].t.StartsOn <= ordered[k - 1].t.EndsOn)
                failures.Add(new($"Terms[{ordered[k].i}].StartsOn", $"{ordered[k].t.Name?.Trim()} overlaps {ordered[k - 1].t.Name?.Trim()}"));
        for (var i = 0; i < insetDays.Count; i++)
        {
            var d = insetDays[i];
            if (d < first || d > last) failures.Add(new($"InsetDays[{i}]", $"An INSET day must be {within}"));
            else if (insetDays.Take(i).Contains(d)) failures.Add(new($"InsetDays[{i}]", $"{Long(d)} is given twice"));
        }
        return failures;
    }
}
