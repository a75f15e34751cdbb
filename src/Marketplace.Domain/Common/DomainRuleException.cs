namespace Marketplace.Domain.Common;

/// <summary>
/// A request that is well-formed but breaks a business rule in the object's current state
/// (submitting an offer twice, editing a withdrawn offer). The web layer answers 409.
/// </summary>
public sealed class DomainRuleException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
