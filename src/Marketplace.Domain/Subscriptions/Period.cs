namespace Marketplace.Domain.Subscriptions;

/// <summary>Which year a subscription runs over.</summary>
public enum PeriodBasis
{
    /// <summary>1 April to 31 March: maintained schools, whose budgets follow the LA's financial year.</summary>
    FinancialYear,

    /// <summary>1 September to 31 August: academies, whose funding follows the academic year.</summary>
    AcademicYear,
}

/// <summary>A span of whole days, both ends included (dates that matter to people are DateOnly).</summary>
public readonly record struct Period(DateOnly Start, DateOnly End)
{
    public int Days => End.DayNumber - Start.DayNumber + 1;

    public bool Contains(DateOnly date) => date >= Start && date <= End;

    public static Period Containing(PeriodBasis basis, DateOnly date) => basis switch
    {
        PeriodBasis.FinancialYear => YearFrom(date.Month >= 4 ? date.Year : date.Year - 1, 4),
        PeriodBasis.AcademicYear => YearFrom(date.Month >= 9 ? date.Year : date.Year - 1, 9),
        _ => throw new ArgumentOutOfRangeException(nameof(basis)),
    };

    public Period Next(int years = 1) => new(Start.AddYears(years), End.AddYears(years));

    private static Period YearFrom(int year, int month)
    {
        var start = new DateOnly(year, month, 1);
        return new Period(start, start.AddYears(1).AddDays(-1));
    }

    /// <summary>"2025/26" as councils write their years.</summary>
    public string Label => $"{Start.Year}/{(End.Year % 100):00}";
}
