using System.Net;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Security;

/// <summary>
/// The one password check, for the sign-in page and the API alike (see docs/adr/0016-sessions-and-sign-in.md):
/// <list type="bullet">
/// <item>An unknown email address costs the same password hashing as a wrong password and gets the same
/// answer, so sign-in is no way to learn who has an account.</item>
/// <item>Failures are counted per email address <b>and</b> client address: five in 15 minutes shut that
/// client out of that address for 15 minutes. A stranger guessing cannot lock the owner out, and the
/// count is kept for addresses with no account too, so the lock tells nothing either.</item>
/// <item>Only a correct password learns that an account may not sign in (a demo account outside
/// Development, or access removed by an admin).</item>
/// </list>
/// The rate limiter (Program.cs) caps attempts per client address on top of this.
/// </summary>
public sealed class SignInGate(UserManager<AppUser> users, SignInManager<AppUser> signIn, IPasswordHasher<AppUser> hasher,
    MarketplaceDbContext db, TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private static readonly Lazy<string> DecoyHash = new(() =>
        new PasswordHasher<AppUser>().HashPassword(new AppUser(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));

    public abstract record Outcome;
    public sealed record Succeeded(AppUser User) : Outcome;
    public sealed record Failed : Outcome;
    public sealed record NotAllowed : Outcome;
    public sealed record LockedOut(TimeSpan RetryAfter) : Outcome;

    public async Task<Outcome> CheckAsync(string email, string password, IPAddress? clientAddress, CancellationToken ct)
    {
        var key = users.NormalizeEmail(email.Trim()) ?? "";
        var client = ClientKey(clientAddress);
        var now = clock.GetUtcNow();

        var lockedUntil = await db.SignInThrottles.AsNoTracking()
            .Where(t => t.Email == key && t.Client == client && t.LockedUntil > now)
            .Select(t => t.LockedUntil).SingleOrDefaultAsync(ct);
        if (lockedUntil is { } until) return new LockedOut(until - now);

        var user = await users.FindByEmailAsync(email.Trim());
        bool passwordRight;
        if (user is null)
        {
            hasher.VerifyHashedPassword(new AppUser(), DecoyHash.Value, password);
            passwordRight = false;
        }
        else
        {
            passwordRight = await users.CheckPasswordAsync(user, password);
        }

        if (!passwordRight)
        {
            var locked = await CountFailureAsync(key, client, now, ct);
            return locked is { } l ? new LockedOut(l - now) : new Failed();
        }

        await db.SignInThrottles.Where(t => t.Email == key && t.Client == client).ExecuteDeleteAsync(ct);
        if (!await signIn.CanSignInAsync(user!) || await users.IsLockedOutAsync(user!)) return new NotAllowed();
        return new Succeeded(user!);
    }

    /// <summary>One more failure, atomically (two instances counting at once agree); the lock's end when this one locks.</summary>
    private async Task<DateTimeOffset?> CountFailureAsync(string email, string client, DateTimeOffset now, CancellationToken ct)
    {
        var windowStart = now - Window;
        var lockEnd = now + Window;
        var rows = await db.Database.SqlQuery<DateTimeOffset?>($"""
            INSERT INTO sign_in_throttles AS t (email, client, failures, window_started_at, locked_until)
            VALUES ({email}, {client}, 1, {now}, NULL)
            ON CONFLICT (email, client) DO UPDATE SET
                failures = CASE WHEN t.window_started_at <= {windowStart} THEN 1 ELSE t.failures + 1 END,
                window_started_at = CASE WHEN t.window_started_at <= {windowStart} THEN {now} ELSE t.window_started_at END,
                locked_until = CASE WHEN t.window_started_at > {windowStart} AND t.failures + 1 >= {MaxFailures} THEN {lockEnd} ELSE NULL END
            RETURNING locked_until AS "Value"
            """).ToListAsync(ct);
        return rows.SingleOrDefault();
    }

    /// <summary>The client as the server sees it (behind a proxy, configure ForwardedHeaders so this is the real client).</summary>
    public static string ClientKey(IPAddress? address) =>
        address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
