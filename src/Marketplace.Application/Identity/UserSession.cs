namespace Marketplace.Application.Identity;

/// <summary>
/// One signed-in session: a browser's cookie or an API client's pair of tokens. Every request checks it,
/// so signing out, a replayed refresh token or an admin removing a user's access ends it at once. Only
/// SHA-256 hashes of the API tokens are kept, never the tokens.
/// </summary>
public sealed class UserSession
{
    private UserSession() { }

    public UserSession(Guid id, Guid userId, SessionKind kind, string securityStamp, DateTimeOffset now, DateTimeOffset expiresAt, string? client)
    {
        Id = id;
        UserId = userId;
        Kind = kind;
        SecurityStamp = securityStamp;
        CreatedAt = now;
        LastUsedAt = now;
        ExpiresAt = expiresAt;
        Client = client;
    }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public SessionKind Kind { get; private set; }

    /// <summary>The user's security stamp when the session began: a password change or removed access changes it.</summary>
    public string SecurityStamp { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset LastUsedAt { get; private set; }

    /// <summary>The session ends then at the latest, however often its tokens are refreshed.</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>The client's address as the server saw it, for the user's and an admin's eyes.</summary>
    public string? Client { get; private set; }

    public byte[]? AccessTokenHash { get; private set; }
    public DateTimeOffset? AccessExpiresAt { get; private set; }
    public byte[]? RefreshTokenHash { get; private set; }

    /// <summary>How many times the refresh token has been exchanged.</summary>
    public int Refreshes { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }
    public SessionEnd? EndReason { get; private set; }

    public void IssueTokens(byte[] accessHash, DateTimeOffset accessExpiresAt, byte[] refreshHash, DateTimeOffset now)
    {
        if (AccessTokenHash is not null) Refreshes++;
        AccessTokenHash = accessHash;
        AccessExpiresAt = accessExpiresAt < ExpiresAt ? accessExpiresAt : ExpiresAt;
        RefreshTokenHash = refreshHash;
        LastUsedAt = now;
    }
}

public enum SessionKind
{
    Browser,
    Api,
}

public enum SessionEnd
{
    SignedOut,
    RefreshTokenReused,
    AccessRemoved,
}

/// <summary>
/// Failed sign-ins for one email address from one client address. Five in 15 minutes shut that client out
/// of that address for 15 minutes; anyone else, the account's owner included, can still sign in.
/// Counted the same for addresses that have no account, so the answer never tells who has one.
/// </summary>
public sealed class SignInThrottle
{
    private SignInThrottle() { }

    public string Email { get; private set; } = "";
    public string Client { get; private set; } = "";
    public int Failures { get; private set; }
    public DateTimeOffset WindowStartedAt { get; private set; }
    public DateTimeOffset? LockedUntil { get; private set; }
}

public static class UserSessionQueries
{
    /// <summary>Ends every still-open session the query selects, in one UPDATE: its tokens are forgotten at once.</summary>
    public static Task<int> EndAsync(this IQueryable<UserSession> sessions, SessionEnd reason, DateTimeOffset now, CancellationToken ct) =>
        Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteUpdateAsync(sessions.Where(s => s.EndedAt == null), u => u
            .SetProperty(s => s.EndedAt, now)
            .SetProperty(s => s.EndReason, reason)
            .SetProperty(s => s.AccessTokenHash, (byte[]?)null)
            .SetProperty(s => s.RefreshTokenHash, (byte[]?)null), ct);
}
