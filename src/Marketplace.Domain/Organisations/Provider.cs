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

    /// <summary>The weekdays the practitioner works (Monday to Friday unless they say otherwise).</summary>
    public WorkingWeek WorkingWeek { get; private set; } = WorkingWeek.MondayToFriday;

    public void SetWorkingWeek(WorkingWeek week)
    {
        if (week == WorkingWeek.None) throw new Common.DomainRuleException("practitioner.week", "Choose at least one working day.");
        WorkingWeek = week;
    }

    public bool WorksOn(DayOfWeek day) => WorkingWeek.HasFlag(WorkingWeekOf(day));

    public static WorkingWeek WorkingWeekOf(DayOfWeek day) => (WorkingWeek)(1 << (((int)day + 6) % 7));
}

/// <summary>Days of the week a practitioner works, Monday first.</summary>
[Flags]
public enum WorkingWeek
{
    None = 0,
    Monday = 1,
    Tuesday = 2,
    Wednesday = 4,
    Thursday = 8,
    Friday = 16,
    Saturday = 32,
    Sunday = 64,
    MondayToFriday = Monday | Tuesday | Wednesday | Thursday | Friday,
}

/// <summary>A span of days a practitioner cannot be booked (leave, training, other work), inclusive.</summary>
public class PractitionerAbsence
{
    private PractitionerAbsence() { }

    public PractitionerAbsence(Guid id, Guid practitionerId, DateOnly from, DateOnly to, string reason, DateTimeOffset now)
    {
        if (to < from) throw new Common.DomainRuleException("absence.dates", "The last day cannot be before the first.");
        if (to.DayNumber - from.DayNumber > 366) throw new Common.DomainRuleException("absence.dates", "Record at most a year at a time.");
        Id = id;
        PractitionerId = practitionerId;
        From = from;
        To = to;
        Reason = reason.Trim();
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid PractitionerId { get; private set; }
    public DateOnly From { get; private set; }
    public DateOnly To { get; private set; }
    public string Reason { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    public bool Covers(DateOnly day) => day >= From && day <= To;
}
