using Microsoft.AspNetCore.Identity;

namespace Marketplace.Application.Identity;

/// <summary>
/// A person who signs in. Each role is bound to one organisation: a school buyer to a school, a provider
/// user to a provider, an LA commissioner to a local authority. Platform admins are bound to none.
/// </summary>
public class AppUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";
    public Guid? SchoolId { get; set; }
    public Guid? ProviderId { get; set; }
    public Guid? LocalAuthorityId { get; set; }

    /// <summary>A school buyer who may commit the school's money (headteacher, business manager): confirms renewals and subscriptions.</summary>
    public bool CanCommitSpend { get; set; }

    /// <summary>Demo-world accounts: signing in with them is refused outside Development.</summary>
    public bool IsDemo { get; set; }
}

public static class Roles
{
    public const string SchoolBuyer = "SchoolBuyer";
    public const string Provider = "Provider";
    public const string LaCommissioner = "LaCommissioner";
    public const string PlatformAdmin = "PlatformAdmin";

    public static readonly string[] All = [SchoolBuyer, Provider, LaCommissioner, PlatformAdmin];
}

public static class MarketplaceClaims
{
    public const string SchoolId = "mkt:school_id";
    public const string ProviderId = "mkt:provider_id";
    public const string LocalAuthorityId = "mkt:la_id";
    public const string DisplayName = "mkt:display_name";
    public const string CommitSpend = "mkt:commit_spend";
}
