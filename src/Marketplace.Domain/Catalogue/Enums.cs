namespace Marketplace.Domain.Catalogue;

public enum Tier
{
    Bronze,
    Silver,
    Gold,
}

public enum OfferCategory
{
    SubjectConsultancy,
    Leadership,
    Governance,
    CpdCourse,
    Review,
    OfstedPreparation,
    SystemLeaderDeployment,
}

public enum Subject
{
    English,
    Mathematics,
    Science,
    EarlyYears,
    Send,
    Computing,
    Humanities,
    Arts,
    ModernLanguages,
    PhysicalEducation,
    Leadership,
    Governance,
    PupilPremium,
    Assessment,
    Safeguarding,
}

public enum OfferUnit
{
    Day,
    HalfDay,
    Session,
    CoursePlace,
    TermDeployment,
}

/// <summary>draft → awaiting approval → published → withdrawn (see Offer for the transitions).</summary>
public enum OfferStatus
{
    Draft,
    AwaitingApproval,
    Published,
    Withdrawn,
}
