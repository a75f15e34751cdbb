using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Users;

/// <summary>What removing and restoring a user's access share: only platform admins, never themselves, and an audit entry.</summary>
internal static class UserAccess
{
    public static async Task<AppUser> UserForAdminAsync(MarketplaceDbContext db, ICurrentUser user, Guid id, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.PlatformAdmin)) throw new ForbiddenException("Only a platform admin can change who may sign in.");
        return await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct) ?? throw new NotFoundException("User", id);
    }

    public static void Audit(MarketplaceDbContext db, TimeProvider clock, ICurrentUser user, AppUser subject, string action, string detail, string? reason)
    {
        var actor = Actor.From(user);
        db.AuditEvents.Add(new AuditEvent(Guid.CreateVersion7(), clock.GetUtcNow(), actor.UserId, actor.Name, subject.LocalAuthorityId,
            subject.SchoolId, action, $"{detail}: {subject.DisplayName} ({subject.Email})", reason));
    }
}
