namespace Marketplace.Domain.Organisations;

/// <summary>
/// The DfE Unique Reference Number: six digits, first digit non-zero (100000–999999).
/// </summary>
public static class Urn
{
    public const int Min = 100000;
    public const int Max = 999999;

    public static bool IsValid(int urn) => urn is >= Min and <= Max;

    public static bool TryParse(string? text, out int urn)
    {
        urn = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var trimmed = text.Trim();
        if (trimmed.Length != 6 || !trimmed.All(char.IsAsciiDigit)) return false;
        urn = int.Parse(trimmed, System.Globalization.CultureInfo.InvariantCulture);
        return IsValid(urn);
    }
}
