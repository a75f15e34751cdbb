using System.Security.Cryptography;

namespace Marketplace.Application.Features.Bookings;

/// <summary>Booking references such as "BK-7Q2M9X": six characters people can read out on the phone (no 0/O or 1/I/L).</summary>
public static class BookingReferences
{
    private const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    /// <summary>The generator; a test swaps it to force a collision (a clash is retried with a new reference, never a 500).</summary>
    internal static Func<string> Next { get; set; } = Random;

    public static string Random()
    {
        Span<char> chars = stackalloc char[6];
        for (var i = 0; i < chars.Length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return "BK-" + new string(chars);
    }
}
