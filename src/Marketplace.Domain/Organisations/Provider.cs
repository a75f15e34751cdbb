namespace Marketplace.Domain.Organisations;

/// <summary>
/// Someone who sells services: the LA's own traded service, a school-to-school provider (which may be
/// a school itself) or an independent consultant. Its home LA quality-assures its offers.
/// </summary>
public class Provider
{
    private Provider() { }

    public Provider(Guid id, string name, ProviderKind kind, Guid localAuthorityId, string description,
        Guid? schoolId = null)
    {
        if (schoolId is not null && kind != ProviderKind.SchoolToSchool)
            throw new ArgumentException("Only a school-to-school provider can be a school.", nameof(schoolId));
        Id = id;
        Name = name;
        Kind = kind;
        LocalAuthorityId = localAuthorityId;
        Description = description;
        SchoolId = schoolId;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public ProviderKind Kind { get; private set; }
    public Guid LocalAuthorityId { get; private set; }
    public LocalAuthority? LocalAuthority { get; private set; }
    public string Description { get; private set; } = "";

    /// <summary>Set when the provider is itself a school (it earns credits for support it gives).</summary>
    public Guid? SchoolId { get; private set; }

    public List<Practitioner> Practitioners { get; private set; } = [];
}

public class Practitioner
{
    private Practitioner() { }

    public Practitioner(Guid id, Guid providerId, string name, string specialism, IEnumerable<Accreditation> accreditations)
    {
        Id = id;
        ProviderId = providerId;
        Name = name;
        Specialism = specialism;
        Accreditations = accreditations.Distinct().Order().ToList();
    }

    public Guid Id { get; private set; }
    public Guid ProviderId { get; private set; }
    public string Name { get; private set; } = "";
    public string Specialism { get; private set; } = "";
    public List<Accreditation> Accreditations { get; private set; } = [];
}
