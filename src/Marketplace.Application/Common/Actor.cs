namespace Marketplace.Application.Common;

/// <summary>Who a change is recorded against in the audit trail: a person, or the system applying a rule.</summary>
public sealed record Actor(Guid? UserId, string Name)
{
    public static readonly Actor System = new(null, "Marketplace (automatic)");

    public static Actor From(ICurrentUser user) => user.IsAuthenticated ? new(user.UserId, user.DisplayName) : System;
}
