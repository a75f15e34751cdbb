using System.Security.Claims;
using Marketplace.Application.Common;
using Marketplace.Application.Identity;

namespace Marketplace.Web.Security;

internal sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    private ClaimsPrincipal? Principal => accessor.HttpContext?.User;

    public bool IsAuthenticated => Principal?.Identity?.IsAuthenticated == true;

    public Guid? UserId => GuidClaim(ClaimTypes.NameIdentifier);

    public bool IsInRole(string role) => IsAuthenticated && Principal!.IsInRole(role);

    public Guid? SchoolId => GuidClaim(MarketplaceClaims.SchoolId);
    public Guid? ProviderId => GuidClaim(MarketplaceClaims.ProviderId);
    public Guid? LocalAuthorityId => GuidClaim(MarketplaceClaims.LocalAuthorityId);

    public bool CanCommitSpend => IsAuthenticated && Principal!.HasClaim(MarketplaceClaims.CommitSpend, "true");

    public string DisplayName => IsAuthenticated ? Principal!.FindFirstValue(MarketplaceClaims.DisplayName) ?? "Unknown user" : "Anonymous";

    private Guid? GuidClaim(string type) =>
        IsAuthenticated && Guid.TryParse(Principal!.FindFirstValue(type), out var id) ? id : null;
}
