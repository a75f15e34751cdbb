using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Users;

/// <summary>Platform admins find people by email or name: who they are, what they are bound to, whether they may sign in.</summary>
public static class ListUsers
{
    public sealed record Query(string? Search, int Page = 1, int PageSize = Paging.DefaultPageSize) : IQuery<Page<UserView>>;

    public sealed record UserView(Guid Id, string Email, string DisplayName, string[] Roles, Guid? SchoolId, Guid? ProviderId,
        Guid? LocalAuthorityId, bool CanSignIn, int ActiveSessions);

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, Page<UserView>>
    {
        public async ValueTask<Page<UserView>> Handle(Query request, CancellationToken ct)
        {
            if (!user.IsInRole(Roles.PlatformAdmin)) throw new ForbiddenException("Only a platform admin can list users.");
            var now = clock.GetUtcNow();
            var users = db.Users.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(request.Search))
            {
                var term = "%" + request.Search.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
                users = users.Where(u => EF.Functions.ILike(u.Email!, term) || EF.Functions.ILike(u.DisplayName, term));
            }
            var total = await users.CountAsync(ct);
            var page = Math.Max(1, request.Page);
            var size = Math.Clamp(request.PageSize, 1, Paging.MaxPageSize);
            var rows = await users.OrderBy(u => u.Email).Skip((page - 1) * size).Take(size)
                .Select(u => new
                {
                    u.Id, u.Email, u.DisplayName, u.SchoolId, u.ProviderId, u.LocalAuthorityId, u.LockoutEnd,
                    Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
                    Sessions = db.UserSessions.Count(s => s.UserId == u.Id && s.EndedAt == null && s.ExpiresAt > now),
                })
                .ToListAsync(ct);
            var items = rows.Select(r => new UserView(r.Id, r.Email ?? "", r.DisplayName, [.. r.Roles], r.SchoolId, r.ProviderId,
                r.LocalAuthorityId, r.LockoutEnd is null || r.LockoutEnd <= now, r.Sessions)).ToList();
            return new Page<UserView>(items, page, size, total);
        }
    }
}
