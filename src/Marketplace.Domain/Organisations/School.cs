namespace Marketplace.Domain.Organisations;

public class School
{
    private School() { }

    public School(Guid id, int urn, string name, Guid localAuthorityId, Phase phase, SchoolType type,
        string cluster, int pupilsOnRoll)
    {
        if (!Organisations.Urn.IsValid(urn)) throw new ArgumentOutOfRangeException(nameof(urn), "A URN has six digits.");
        if (phase == Phase.None || (phase & (phase - 1)) != 0)
            throw new ArgumentException("A school has exactly one phase.", nameof(phase));
        ArgumentOutOfRangeException.ThrowIfNegative(pupilsOnRoll);
        Id = id;
        Urn = urn;
        Name = name;
        LocalAuthorityId = localAuthorityId;
        Phase = phase;
        Type = type;
        Cluster = cluster;
        PupilsOnRoll = pupilsOnRoll;
    }

    public Guid Id { get; private set; }
    public int Urn { get; private set; }
    public string Name { get; private set; } = "";
    public Guid LocalAuthorityId { get; private set; }
    public LocalAuthority? LocalAuthority { get; private set; }
    public Phase Phase { get; private set; }
    public SchoolType Type { get; private set; }
    public string Cluster { get; private set; } = "";
    public int PupilsOnRoll { get; private set; }
    public OfstedGrade? OfstedGrade { get; private set; }
    public DateOnly? OfstedInspectionDate { get; private set; }

    /// <summary>The school's finance rule: every booking must quote a purchase-order number.</summary>
    public bool RequiresPurchaseOrder { get; private set; }

    public void SetRequiresPurchaseOrder(bool required) => RequiresPurchaseOrder = required;

    public void RecordOfstedOutcome(OfstedGrade grade, DateOnly inspectionDate)
    {
        if (!Enum.IsDefined(grade)) throw new ArgumentOutOfRangeException(nameof(grade));
        // An older report arriving late must not overwrite a newer judgement.
        if (OfstedInspectionDate is { } current && inspectionDate < current) return;
        OfstedGrade = grade;
        OfstedInspectionDate = inspectionDate;
    }
}
