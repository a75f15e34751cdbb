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
