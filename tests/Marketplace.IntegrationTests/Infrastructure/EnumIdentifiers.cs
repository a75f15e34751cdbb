using System.Text.Json;
using System.Text.RegularExpressions;

namespace Marketplace.IntegrationTests.Infrastructure;

/// <summary>
/// The internal names people must never read: every enum member of the domain and application
/// assemblies that is more than one word (HalfDay, EarlyYears, AwaitingApproval), in PascalCase as C#
/// writes it and camelCase as the API does (halfDay, earlyYears).
/// </summary>
public static class EnumIdentifiers
{
    public static readonly IReadOnlyList<string> All = new[] { typeof(Domain.Common.DisplayNames).Assembly, typeof(Application.Common.EnumText).Assembly }
        .SelectMany(a => a.GetTypes())
        .Where(t => t.IsEnum && t.IsPublic && t.Namespace?.StartsWith("Marketplace.", StringComparison.Ordinal) == true)
        .SelectMany(Enum.GetNames)
        .Where(n => n.Skip(1).Any(char.IsUpper))
        .SelectMany(n => new[] { n, JsonNamingPolicy.CamelCase.ConvertName(n) })
        .Distinct()
        .ToList();

    private static readonly Regex Pattern = new($@"\b({string.Join('|', All.Select(Regex.Escape))})\b", RegexOptions.CultureInvariant);

    /// <summary>The identifiers the text contains, as whole words.</summary>
    public static IReadOnlyList<string> In(string text) => Pattern.Matches(text).Select(m => m.Value).Distinct().ToList();
}
