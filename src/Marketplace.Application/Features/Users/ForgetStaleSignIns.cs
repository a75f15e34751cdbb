using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Users;

/// <summary>
/// Nightly: forgets failed sign-in counts older than a day (they lock nobody out after 15 minutes) and
/// sessions that ended or expired more than 90 days ago (kept that long so an admin can see who was
/// signed in from where when something goes wrong).
/// </summary>
public static class ForgetStaleSignIns
{
    public static readonly TimeSpan KeepFailures = TimeSpan.FromDays(1);
    public static readonly TimeSpan KeepSessions = TimeSpan.FromDays(90);

    public sealed record Command : ICommand<Result>;

    public sealed record Result(int Failures, int Sessions);

    public sealed class Handler(MarketplaceDbContext db, TimeProvider clock) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var failuresBefore = now - KeepFailures;
            var sessionsBefore = now - KeepSessions;
            var failures = await db.SignInThrottles
                .Where(t => t.WindowStartedAt < failuresBefore && (t.LockedUntil == null || t.LockedUntil < now))
                .ExecuteDeleteAsync(ct);
            var sessions = await db.UserSessions
                .Where(s => (s.EndedAt != null && s.EndedAt < sessionsBefore) || s.ExpiresAt < sessionsBefore)
                .ExecuteDeleteAsync(ct);
            return new Result(failures, sessions);
        }
    }
}
