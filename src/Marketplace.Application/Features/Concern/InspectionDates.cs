using System.Globalization;
using Marketplace.Domain.Common;

namespace Marketplace.Application.Features.Concern;

/// <summary>Inspection dates as LAs type them or their spreadsheets export them.</summary>
internal static class InspectionDates
{
    private static readonly string[] Formats = ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy"];

    public static bool TryParse(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>Read as a date but outside <see cref="ServiceDates"/>.</summary>
    public static bool OutOfRange(string? text) => TryParse(text, out var date) && !ServiceDates.Contains(date);
}
