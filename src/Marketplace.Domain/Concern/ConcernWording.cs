using Marketplace.Domain.Organisations;

namespace Marketplace.Domain.Concern;

/// <summary>How Ofsted grades and the York risk criteria read in audit entries, emails and pages.</summary>
public static class ConcernWording
{
    public static string Describe(OfstedGrade grade) => grade switch
    {
        OfstedGrade.Outstanding => "outstanding",
        OfstedGrade.Good => "good",
        OfstedGrade.RequiresImprovement => "requires improvement",
        _ => "inadequate",
    };

    public static string Describe(RiskCriterion c) => c switch
    {
        RiskCriterion.AttainmentBelowFloor => "attainment below floor standards",
        RiskCriterion.ValueAddedBelowNational => "value added significantly below national",
        RiskCriterion.DisadvantagedOrSenGaps => "wide gaps for disadvantaged or SEN pupils",
        RiskCriterion.InconsistentTeaching => "inconsistent teaching",
        RiskCriterion.LeadershipOrGovernance => "leadership or governance concerns",
        RiskCriterion.ChangeOfContext => "significant change of context",
        RiskCriterion.BehaviourSafetyAttendance => "behaviour, safety or attendance",
        _ => "statutory duties",
    };
}
