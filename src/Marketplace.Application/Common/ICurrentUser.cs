using Marketplace.Application.Identity;

namespace Marketplace.Application.Common;

/// <summary>Who is asking, as far as the rules need to know. Anonymous callers have no roles.</summary>
public interface ICurrentUser
{
    Guid? UserId { get; }
    bool IsAuthenticated { get; }
    bool IsInRole(string role);
    Guid? SchoolId { get; }
    Guid? ProviderId { get; }
    Guid? LocalAuthorityId { get; }

    /// <summary>A school buyer allowed to commit the school's money (confirm renewals, subscribe).</summary>
    bool CanCommitSpend { get; }

    /// <summary>The name shown in audit trails.</summary>
    string DisplayName { get; }
}

public static class CurrentUserExtensions
{
    public static bool IsAdmin(this ICurrentUser user) => user.IsInRole(Roles.PlatformAdmin);

    public static bool IsCommissionerOf(this ICurrentUser user, Guid localAuthorityId) =>
        user.IsInRole(Roles.LaCommissioner) && user.LocalAuthorityId == localAuthorityId;

    public static bool IsProviderUserOf(this ICurrentUser user, Guid providerId) =>
        user.IsInRole(Roles.Provider) && user.ProviderId == providerId;

    public static bool IsBuyerFor(this ICurrentUser user, Guid schoolId) =>
        user.IsInRole(Roles.SchoolBuyer) && user.SchoolId == schoolId;
}
