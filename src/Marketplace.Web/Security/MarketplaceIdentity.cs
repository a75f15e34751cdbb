using System.Security.Claims;
using Marketplace.Application.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Security;

/// <summary>Puts the user's bound school, provider or LA into the principal (cookie and bearer token alike).</summary>
internal sealed class MarketplaceClaimsFactory(UserManager<AppUser> users, RoleManager<IdentityRole<Guid>> roles,
    IOptions<IdentityOptions> options) : UserClaimsPrincipalFactory<AppUser, IdentityRole<Guid>>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.SchoolId is { } s) identity.AddClaim(new Claim(MarketplaceClaims.SchoolId, s.ToString()));
        if (user.ProviderId is { } p) identity.AddClaim(new Claim(MarketplaceClaims.ProviderId, p.ToString()));
        if (user.LocalAuthorityId is { } l) identity.AddClaim(new Claim(MarketplaceClaims.LocalAuthorityId, l.ToString()));
        identity.AddClaim(new Claim(MarketplaceClaims.DisplayName, user.DisplayName));
        if (user.CanCommitSpend) identity.AddClaim(new Claim(MarketplaceClaims.CommitSpend, "true"));
        return identity;
    }
}

/// <summary>
/// Refuses the demo-world accounts outside Development, whichever door (UI cookie or API token) they
/// knock on: the demo password is published in the README.
/// </summary>
internal sealed class MarketplaceSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation,
    IHostEnvironment environment)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user)
    {
        if (user.IsDemo && !environment.IsDevelopment()) return false;
        return await base.CanSignInAsync(user);
    }
}
