namespace Marketplace.Application.Credits;

/// <summary>
/// One run of the ledger invariants (<see cref="LedgerInvariants"/>): when, started by what (the nightly
/// job or a platform admin), and the violations found (none when the ledger was sound).
/// </summary>
public sealed class LedgerCheck
{
    public LedgerCheck(Guid id, DateTimeOffset checkedAt, string trigger, List<string> violations)
    {
        Id = id;
        CheckedAt = checkedAt;
        Trigger = trigger;
        Violations = violations;
    }

    public Guid Id { get; private set; }
    public DateTimeOffset CheckedAt { get; private set; }
    public string Trigger { get; private set; }
    public List<string> Violations { get; private set; }
    public bool Breached => Violations.Count > 0;
}
