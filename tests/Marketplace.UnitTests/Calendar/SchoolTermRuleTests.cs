using Marketplace.Domain.Calendar;

namespace Marketplace.UnitTests.Calendar;

public class SchoolTermRuleTests
{
    private static readonly Guid La = Guid.NewGuid();

    private static readonly SchoolTerm[] Terms =
    [
        new(Guid.NewGuid(), La, 2026, "Autumn 1", new(2026, 9, 2), new(2026, 10, 23)),
        new(Guid.NewGuid(), La, 2026, "Autumn 2", new(2026, 11, 2), new(2026, 12, 18)),
    ];

    private static readonly InsetDay[] Inset = [new(Guid.NewGuid(), La, 2026, new(2026, 11, 2))];

    [Fact]
    public void A_day_in_term_is_allowed() => Assert.Null(SchoolTermRule.Refusal(new(2026, 11, 18), Terms, Inset));

    [Theory]
    [InlineData("2026-10-28", "28 October 2026 is in the school holidays: choose a day in term")] // half term
    [InlineData("2026-12-24", "24 December 2026 is in the school holidays: choose a day in term")]
    [InlineData("2026-11-02", "2 November 2026 is an INSET day, when schools are closed to pupils: choose a day in term")]
    public void Holidays_half_terms_and_INSET_days_are_refused(string date, string message) =>
        Assert.Equal(message, SchoolTermRule.Refusal(DateOnly.Parse(date), Terms, Inset));

    [Fact]
    public void A_year_with_no_terms_recorded_is_not_refused() =>
        Assert.Null(SchoolTermRule.Refusal(new(2027, 12, 24), Terms, Inset));

    [Theory]
    [InlineData("2026-09-01", 2026)]
    [InlineData("2026-08-31", 2025)]
    [InlineData("2027-08-31", 2026)]
    public void Academic_years_start_on_1_September(string date, int year) => Assert.Equal(year, AcademicYears.Of(DateOnly.Parse(date)));

    [Theory]
    [InlineData("2026/27", 2026)]
    [InlineData("2026-2027", 2026)]
    [InlineData("2026", 2026)]
    public void Academic_years_are_read_as_written(string text, int year)
    {
        Assert.True(AcademicYears.TryParse(text, out var y));
        Assert.Equal(year, y);
    }

    [Theory]
    [InlineData("2026/28")]
    [InlineData("x")]
    [InlineData("1999/00")]
    public void Other_academic_years_are_not(string text) => Assert.False(AcademicYears.TryParse(text, out _));
}
