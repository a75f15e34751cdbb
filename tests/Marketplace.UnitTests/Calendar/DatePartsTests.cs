using Marketplace.Domain.Common;

namespace Marketplace.UnitTests.Calendar;

public class DatePartsTests
{
    [Theory]
    [InlineData("27", "3", "2027", 2027, 3, 27)]
    [InlineData(" 7 ", "03", "2027", 2027, 3, 7)]
    [InlineData("1", "Jan", "2027", 2027, 1, 1)]
    [InlineData("14", "january", "2027", 2027, 1, 14)]
    [InlineData("29", "2", "2028", 2028, 2, 29)]
    public void Day_month_and_year_make_a_date(string day, string month, string year, int y, int m, int d)
    {
        var result = DateParts.Parse(day, month, year);
        Assert.Equal(new DateOnly(y, m, d), result.Date);
        Assert.Null(result.Error);
    }

    [Theory]
    [InlineData("", "3", "2027", "Preferred date must include a day", true, false, false)]
    [InlineData("27", "", "2027", "Preferred date must include a month", false, true, false)]
    [InlineData("27", "3", "", "Preferred date must include a year", false, false, true)]
    [InlineData("", "", "2027", "Preferred date must include a day and month", true, true, false)]
    [InlineData("29", "2", "2027", "Preferred date must be a real date", true, false, false)]
    [InlineData("12", "13", "2027", "Preferred date must be a real date", false, true, false)]
    [InlineData("x", "3", "2027", "Preferred date must be a real date", true, false, false)]
    [InlineData("27", "3", "27", "Year must include 4 numbers", false, false, true)]
    [InlineData("31", "12", "9999", "Preferred date must be between 1 January 2000 and 31 December 2099", false, false, true)]
    public void Wrong_dates_are_named_the_GOV_UK_way(string day, string month, string year, string message, bool dayWrong, bool monthWrong, bool yearWrong)
    {
        var result = DateParts.Parse(day, month, year, "Preferred date");
        Assert.Null(result.Date);
        Assert.Equal(message, result.Error);
        Assert.Equal((dayWrong, monthWrong, yearWrong), (result.DayWrong, result.MonthWrong, result.YearWrong));
    }

    [Fact]
    public void Three_empty_boxes_are_no_date()
    {
        var result = DateParts.Parse(" ", null, "");
        Assert.True(result.IsEmpty);
    }
}
