using System.Text.Json;
using Marketplace.Domain.Common;

namespace Marketplace.Application.Common;

/// <summary>
/// Reads enum names as people type them in a query string: case-insensitive, with spaces, hyphens
/// and underscores ignored ("early-years", "Early Years", "earlyyears"), plus a few common aliases.
/// Numbers are refused so that "subject=7" is a validation error rather than a silent match.
/// </summary>
public static class EnumText
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["maths"] = "Mathematics",
        ["math"] = "Mathematics",
        ["sen"] = "Send",
        ["eyfs"] = "EarlyYears",
        ["cpd"] = "CpdCourse",
        ["la"] = "LaTradedService",
        ["schooltoschoolsupport"] = "SchoolToSchool",
        ["external"] = "ExternalConsultant",
        ["independent"] = "ExternalConsultant",
    };

    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var key = new string(text.Where(c => c is not (' ' or '-' or '_')).ToArray());
        if (key.Length == 0 || key.All(char.IsAsciiDigit) || key.Contains(',')) return false;
        if (Aliases.TryGetValue(key, out var alias)) key = alias;
        if (Enum.TryParse(key, ignoreCase: true, out value) && Enum.IsDefined(value)) return true;
        // The display names that error messages list ("school-to-school support") are accepted too.
        foreach (var candidate in Enum.GetValues<TEnum>())
            if (string.Equals(Squash(DisplayNames.Of(candidate)), Squash(text), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        value = default;
        return false;
    }

    private static string Squash(string text) => new(text.Where(char.IsLetterOrDigit).ToArray());

    /// <summary>
    /// The choices for an error message, in the words people use ("day, half day, course place"): the
    /// parser above accepts them as typed, and the API's camelCase names too.
    /// </summary>
    public static string Allowed<TEnum>() where TEnum : struct, Enum => DisplayNames.Choices<TEnum>();

    public static string Api<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
