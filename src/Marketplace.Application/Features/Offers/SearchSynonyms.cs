namespace Marketplace.Application.Features.Offers;

/// <summary>
/// School words the English stemmer does not join up: "maths" does not stem to "mathematics", nor "PP"
/// to "pupil premium". Each known word becomes "(word or synonym)" in websearch_to_tsquery syntax.
/// </summary>
public static class SearchSynonyms
{
    private static readonly Dictionary<string, string> Map = new(StringComparer.OrdinalIgnoreCase)
    {
        ["maths"] = "mathematics",
        ["math"] = "mathematics",
        ["mathematics"] = "maths",
        ["send"] = "\"special educational needs\"",
        ["sen"] = "\"special educational needs\"",
        ["pp"] = "\"pupil premium\"",
        ["eyfs"] = "\"early years\"",
        ["nle"] = "\"national leader of education\"",
        ["lle"] = "\"local leader of education\"",
        ["sle"] = "\"specialist leader of education\"",
        ["nlg"] = "\"national leader of governance\"",
        ["cpd"] = "course",
        ["ofsted"] = "inspection",
    };

    public static string Expand(string query)
    {
        // Quoted phrases and operators are left to websearch_to_tsquery as typed.
        if (query.Contains('"')) return query;
        var words = query.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Select(w => Map.TryGetValue(w, out var alt) ? $"{w} or {alt}" : w));
    }
}
