namespace Marketplace.Application.Common;

/// <summary>
/// The thing does not exist, or exists but belongs to another tenant: both answer 404 so that ids of
/// other LAs' objects cannot be probed.
/// </summary>
public sealed class NotFoundException(string what, object key)
    : Exception($"{what} '{key}' was not found.")
{
    public string What { get; } = what;
}

/// <summary>Signed in, can see the thing, but may not do this to it (403).</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>A stale write: someone else changed the object since it was read (409).</summary>
public sealed class ConcurrencyConflictException(string message) : Exception(message);

/// <summary>The wallet does not hold enough usable credit for this spend (409, changes nothing).</summary>
public sealed class InsufficientCreditsException(int requested, long available)
    : Exception($"Not enough credits: {requested} needed, {available} available.")
{
    public int Requested { get; } = requested;
    public long Available { get; } = available;
}

/// <summary>An Idempotency-Key reused with a different request (422).</summary>
public sealed class IdempotencyKeyReusedException()
    : Exception("This Idempotency-Key was already used with a different request. Use a new key for a new request.");
