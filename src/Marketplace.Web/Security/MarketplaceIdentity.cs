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
        identity.AddClaims(OrganisationClaims(user));
        return identity;
    }

    /// <summary>The organisation the user is bound to and what they may do there: the same for a cookie and a bearer token.</summary>
    public static IEnumerable<Claim> OrganisationClaims(AppUser user)
    {
        if (user.SchoolId is { } s) yield return new Claim(MarketplaceClaims.SchoolId, s.ToString());
        if (user.ProviderId is { } p) yield return new Claim(MarketplaceClaims.ProviderId, p.ToString());
        if (user.LocalAuthorityId is { } l) yield return new Claim(MarketplaceClaims.LocalAuthorityId, l.ToString());
        yield return new Claim(MarketplaceClaims.DisplayName, user.DisplayName);
        if (user.CanCommitSpend) yield return new Claim(MarketplaceClaims.CommitSpend, "true");
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
