namespace Marketplace.Domain.Subscriptions;

/// <summary>
/// A tier's annual fee for one school: the package's flat fee plus its per-pupil rate for every pupil
/// on roll, in whole pence. Both parts are whole pence, so there is nothing to round; the sum is
/// checked, so an impossible size fails loudly rather than wrapping (ADR 0014).
/// </summary>
public static class PupilNumberFee
{
    public static long For(long flatFeePence, long perPupilPence, int pupilsOnRoll)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(flatFeePence);
        ArgumentOutOfRangeException.ThrowIfNegative(perPupilPence);
        ArgumentOutOfRangeException.ThrowIfNegative(pupilsOnRoll);
        return checked(flatFeePence + perPupilPence * pupilsOnRoll);
    }
}
