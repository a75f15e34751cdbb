namespace Marketplace.Domain.Organisations;

/// <summary>
/// School phases. A school has exactly one; an offer may serve several, so this is a flags set.
/// </summary>
[Flags]
public enum Phase
{
    None = 0,
    Nursery = 1,
    Primary = 2,
    Secondary = 4,
    AllThrough = 8,
    Special = 16,
    Pru = 32,
}

public enum SchoolType
{
    Maintained,
    Academy,
    FreeSchool,
}

/// <summary>Ofsted overall effectiveness grades as used in the seed papers (1 best, 4 worst).</summary>
public enum OfstedGrade
{
    Outstanding = 1,
    Good = 2,
    RequiresImprovement = 3,
    Inadequate = 4,
}

/// <summary>York's "three groups" of providers.</summary>
public enum ProviderKind
{
    LaTradedService,
    SchoolToSchool,
    ExternalConsultant,
}

public enum Accreditation
{
    NationalLeaderOfEducation,
    LocalLeaderOfEducation,
    SpecialistLeaderOfEducation,
    NationalLeaderOfGovernance,
    AccreditedSchoolImprovementPartner,
    PupilPremiumReviewer,
}

public static class PhaseExtensions
{
    public static IEnumerable<Phase> Each(this Phase phases) =>
        Enum.GetValues<Phase>().Where(p => p != Phase.None && phases.HasFlag(p));
}
