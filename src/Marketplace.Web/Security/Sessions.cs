using System.Security.Claims;
using System.Security.Cryptography;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Security;

/// <summary>
/// Server-side sessions (see docs/adr/0016-sessions-and-sign-in.md). A browser session is named by a claim
/// in its cookie; an API session by its tokens, <c>{session}.{secret}</c>, of which only SHA-256 hashes are
/// stored. Every request checks its session, so an ended one stops working at once on every instance.
/// </summary>
public sealed class SessionStore(MarketplaceDbContext db, TimeProvider clock)
{
    /// <summary>The claim that names the session in a cookie's or a token's principal.</summary>
    public const string SessionClaim = "mkt:sid";

    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan ApiSessionLifetime = TimeSpan.FromDays(14);
    public static readonly TimeSpan BrowserSessionLifetime = TimeSpan.FromHours(12);

    public sealed record Tokens(string AccessToken, long ExpiresIn, string RefreshToken);

    public async Task<Guid> StartBrowserAsync(AppUser user, string? client, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var session = new UserSession(Guid.NewGuid(), user.Id, SessionKind.Browser, user.SecurityStamp ?? "", now, now + BrowserSessionLifetime, client);
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return session.Id;
    }

    public async Task<Tokens> StartApiAsync(AppUser user, string? client, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var session = new UserSession(Guid.NewGuid(), user.Id, SessionKind.Api, user.SecurityStamp ?? "", now, now + ApiSessionLifetime, client);
        var (access, accessHash) = NewSecret(session.Id);
        var (refresh, refreshHash) = NewSecret(session.Id);
        session.IssueTokens(accessHash, now + AccessTokenLifetime, refreshHash, now);
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return new Tokens(access, (long)AccessTokenLifetime.TotalSeconds, refresh);
    }

    /// <summary>
    /// Exchanges a refresh token for new tokens, once. A refresh token presented again (or a wrong one for a
    /// live session) means someone else holds a copy: the whole session ends, the rightful client included.
    /// </summary>
    public async Task<Tokens?> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        if (!TryParse(refreshToken, out var id, out var presented)) return null;
        var now = clock.GetUtcNow();
        var (access, accessHash) = NewSecret(id);
        var (refresh, refreshHash) = NewSecret(id);
        var accessExpires = now + AccessTokenLifetime;
        // One conditional UPDATE: of two clients racing with the same token, exactly one wins.
        var exchanged = await db.UserSessions
            .Where(s => s.Id == id && s.Kind == SessionKind.Api && s.EndedAt == null && s.ExpiresAt > now && s.RefreshTokenHash == presented)
            .Where(s => db.Users.Any(u => u.Id == s.UserId && u.SecurityStamp == s.SecurityStamp))
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.AccessTokenHash, accessHash)
                .SetProperty(s => s.AccessExpiresAt, s => s.ExpiresAt < accessExpires ? s.ExpiresAt : accessExpires)
                .SetProperty(s => s.RefreshTokenHash, refreshHash)
                .SetProperty(s => s.Refreshes, s => s.Refreshes + 1)
                .SetProperty(s => s.LastUsedAt, now), ct);
        if (exchanged == 1) return new Tokens(access, (long)AccessTokenLifetime.TotalSeconds, refresh);

        await db.UserSessions.Where(s => s.Id == id && s.Kind == SessionKind.Api).EndAsync(SessionEnd.RefreshTokenReused, now, ct);
        return null;
    }

    public Task EndAsync(Guid id, SessionEnd reason, CancellationToken ct) =>
        db.UserSessions.Where(s => s.Id == id).EndAsync(reason, clock.GetUtcNow(), ct);

    /// <summary>The principal for a live API session's access token, built from the user as they are now; null otherwise.</summary>
    public async Task<ClaimsPrincipal?> AuthenticateAsync(string accessToken, string scheme, CancellationToken ct)
    {
        if (!TryParse(accessToken, out var id, out var presented)) return null;
        var now = clock.GetUtcNow();
        var row = await db.UserSessions.AsNoTracking()
            .Where(s => s.Id == id && s.Kind == SessionKind.Api && s.EndedAt == null && s.AccessExpiresAt > now)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { s.AccessTokenHash, s.SecurityStamp, User = u })
            .Where(x => x.User.SecurityStamp == x.SecurityStamp)
            .Select(x => new
            {
                x.AccessTokenHash,
                x.User,
                Roles = db.UserRoles.Where(r => r.UserId == x.User.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
            })
            .SingleOrDefaultAsync(ct);
        if (row?.AccessTokenHash is null || !CryptographicOperations.FixedTimeEquals(row.AccessTokenHash, presented)) return null;

        var identity = new ClaimsIdentity(scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, row.User.Id.ToString()));
        identity.AddClaim(new Claim(ClaimTypes.Name, row.User.UserName ?? ""));
        if (row.User.Email is { } email) identity.AddClaim(new Claim(ClaimTypes.Email, email));
        foreach (var role in row.Roles) identity.AddClaim(new Claim(ClaimTypes.Role, role));
        foreach (var claim in MarketplaceClaimsFactory.OrganisationClaims(row.User)) identity.AddClaim(claim);
        identity.AddClaim(new Claim(SessionClaim, id.ToString("N")));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>Whether the browser session a cookie names is still live for its user as they are now.</summary>
    public async Task<bool> IsBrowserSessionLiveAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!Guid.TryParseExact(principal.FindFirstValue(SessionClaim), "N", out var id)) return false;
        var now = clock.GetUtcNow();
        return await db.UserSessions
            .Where(s => s.Id == id && s.Kind == SessionKind.Browser && s.EndedAt == null && s.ExpiresAt > now)
            .AnyAsync(s => db.Users.Any(u => u.Id == s.UserId && u.SecurityStamp == s.SecurityStamp), ct);
    }

    public static Guid? SessionOf(ClaimsPrincipal principal) =>
        Guid.TryParseExact(principal.FindFirstValue(SessionClaim), "N", out var id) ? id : null;

    private static (string Token, byte[] Hash) NewSecret(Guid session)
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        return ($"{session:N}.{Base64Url(secret)}", SHA256.HashData(secret));
    }

    private static bool TryParse(string token, out Guid session, out byte[] hash)
    {
        session = default;
        hash = [];
        var dot = token.IndexOf('.');
        if (dot != 32 || token.Length > 100 || !Guid.TryParseExact(token.AsSpan(0, dot), "N", out session)) return false;
        try
        {
            hash = SHA256.HashData(System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(dot + 1)));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
