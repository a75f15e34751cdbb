using System.Globalization;

namespace Marketplace.Web.Api;

internal static class QueryDates
{
    /// <summary>Dates in a query string arrive as text so a malformed one is a 400 with a field error, not a binding failure.</summary>
    public static DateOnly? Parse(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure(field, $"Enter {field} as a date, YYYY-MM-DD")]);
    }
}
