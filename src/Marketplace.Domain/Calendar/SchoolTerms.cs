namespace Marketplace.Domain.Calendar;

/// <summary>
/// One term of an LA's school year, as the LA publishes it: "Autumn 1" from 3 September to 23 October.
/// Half terms and holidays are the gaps between terms, so a year is usually six terms.
/// </summary>
public class SchoolTerm
{
    private SchoolTerm() { }

    public SchoolTerm(Guid id, Guid localAuthorityId, int academicYear, string name, DateOnly startsOn, DateOnly endsOn)
    {
        if (endsOn < startsOn) throw new ArgumentException("A term ends on or after the day it starts.", nameof(endsOn));
        Id = id;
        LocalAuthorityId = localAuthorityId;
        AcademicYear = academicYear;
        Name = name;
        StartsOn = startsOn;
        EndsOn = endsOn;
    }

    public Guid Id { get; private set; }
    public Guid LocalAuthorityId { get; private set; }

    /// <summary>The year the academic year starts in: 2026 is 1 September 2026 to 31 August 2027.</summary>
    public int AcademicYear { get; private set; }

    public string Name { get; private set; } = "";
    public DateOnly StartsOn { get; private set; }
    public DateOnly EndsOn { get; private set; }

    public void Change(string name, DateOnly startsOn, DateOnly endsOn)
    {
        if (endsOn < startsOn) throw new ArgumentException("A term ends on or after the day it starts.", nameof(endsOn));
        Name = name;
        StartsOn = startsOn;
        EndsOn = endsOn;
    }
}

/// <summary>A day in term when schools are closed to pupils for staff training.</summary>
public class InsetDay
{
    private InsetDay() { }

    public InsetDay(Guid id, Guid localAuthorityId, int academicYear, DateOnly date)
    {
        Id = id;
        LocalAuthorityId = localAuthorityId;
        AcademicYear = academicYear;
        Date = date;
    }

    public Guid Id { get; private set; }
    public Guid LocalAuthorityId { get; private set; }
    public int AcademicYear { get; private set; }
    public DateOnly Date { get; private set; }
}

/// <summary>Academic years run from 1 September to 31 August and are named by the year they start in.</summary>
public static class AcademicYears
{
    public static int Of(DateOnly date) => date.Month >= 9 ? date.Year : date.Year - 1;
    public static DateOnly Start(int year) => new(year, 9, 1);
    public static DateOnly End(int year) => new(year + 1, 8, 31);
    public static string Name(int year) => $"{year}/{(year + 1) % 100:00}";

    /// <summary>Reads "2026/27", "2026-27", "2026/2027" or "2026".</summary>
    public static bool TryParse(string? text, out int year)
    {
        year = 0;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text)) return false;
        var parts = text.Split('/', '-');
        if (!int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var start) || start is < 2000 or > 2098) return false;
        if (parts.Length == 2)
        {
            if (!int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var end)) return false;
            if (end != start + 1 && end != (start + 1) % 100) return false;
        }
        else if (parts.Length > 2) return false;
        year = start;
        return true;
    }
}

/// <summary>
/// Term time: a date is in term when it falls in one of the LA's terms for its academic year and is not an
/// INSET day. When the LA has recorded no terms for that academic year the rule cannot tell, so it does not refuse.
/// </summary>
public static class SchoolTermRule
{
    public static string? Refusal(DateOnly date, IReadOnlyCollection<SchoolTerm> terms, IReadOnlyCollection<InsetDay> insetDays)
    {
        var year = AcademicYears.Of(date);
        var yearTerms = terms.Where(t => t.AcademicYear == year).ToList();
        if (yearTerms.Count == 0) return null;
        var day = date.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
        if (insetDays.Any(i => i.Date == date)) return $"{day} is an INSET day, when schools are closed to pupils: choose a day in term";
        if (!yearTerms.Any(t => t.StartsOn <= date && date <= t.EndsOn)) return $"{day} is in the school holidays: choose a day in term";
        return null;
    }

    public static bool InTerm(DateOnly date, IReadOnlyCollection<SchoolTerm> terms, IReadOnlyCollection<InsetDay> insetDays) =>
        terms.Any(t => t.StartsOn <= date && date <= t.EndsOn) && insetDays.All(i => i.Date != date);
}
