using Marketplace.Domain.Bookings;

namespace Marketplace.UnitTests.Bookings;

public class WorkingDaysTests
{
    // England and Wales bank holidays as published on GOV.UK.
    public static TheoryData<int, string[]> Published => new()
    {
        { 2020, ["2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31", "2020-12-25", "2020-12-28"] },
        { 2021, ["2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27", "2021-12-28"] },
        { 2022, ["2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"] },
        { 2023, ["2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26"] },
        { 2024, ["2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26"] },
        { 2025, ["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"] },
        { 2026, ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"] },
        { 2027, ["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"] },
        { 2028, ["2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28", "2028-12-25", "2028-12-26"] },
    };

    [Theory]
    [MemberData(nameof(Published))]
    public void Bank_holidays_match_the_published_lists(int year, string[] expected)
    {
        Assert.Equal(expected.Select(DateOnly.Parse).Order(), WorkingDays.BankHolidays(year).Order());
    }

    [Fact]
    public void Counting_skips_weekends_and_bank_holidays()
    {
        // Thursday 2 April 2026 to Thursday 9 April 2026: Good Friday 3rd and Easter Monday 6th are not working days.
        Assert.Equal(3, WorkingDays.Between(new DateOnly(2026, 4, 2), new DateOnly(2026, 4, 9)));
        Assert.Equal(new DateOnly(2026, 4, 9), WorkingDays.Add(new DateOnly(2026, 4, 2), 3));
        Assert.Equal(0, WorkingDays.Between(new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 28)));
        Assert.False(WorkingDays.IsWorkingDay(new DateOnly(2026, 12, 28))); // Boxing Day substitute
    }
}
