namespace Marketplace.Domain.Common;

/// <summary>
/// The one rule for text anyone sends us, in any field, query or header-like value: no control characters
/// (U+0000 to U+001F, U+007F to U+009F) other than tab, carriage return and line feed, and no lone UTF-16
/// surrogates. PostgreSQL refuses U+0000 outright, the other controls have no business in a booking note
/// or an offer title (and break CSV exports and emails), and a lone surrogate cannot be encoded as UTF-8.
/// </summary>
public static class StorableText
{
    /// <summary>What a person reads when a text holds such a character.</summary>
    public const string RefusedMessage = "Remove the control characters or unreadable symbols from this text";

    public static bool IsStorable(ReadOnlySpan<char> text) => IndexOfRefused(text) < 0;

    /// <summary>The index of the first character the rule refuses, or -1.</summary>
    public static int IndexOfRefused(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                if (c is '\t' or '\r' or '\n') continue;
                return i;
            }
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                return i;
            }
            if (char.IsLowSurrogate(c)) return i;
        }
        return -1;
    }
}
