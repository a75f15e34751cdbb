using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Organisations;

namespace Marketplace.Web.Ui;

/// <summary>How enum values read to people (sentence case, GOV.UK style).</summary>
public static class Labels
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => value switch
    {
        Subject.Mathematics => "Mathematics",
        Subject.EarlyYears => "Early years",
        Subject.Send => "Special educational needs (SEND)",
        Subject.ModernLanguages => "Modern languages",
        Subject.PhysicalEducation => "Physical education",
        Subject.PupilPremium => "Pupil Premium",
        OfferCategory.SubjectConsultancy => "Subject consultancy",
        OfferCategory.CpdCourse => "CPD course",
        OfferCategory.OfstedPreparation => "Ofsted preparation",
        OfferCategory.SystemLeaderDeployment => "System leader deployment",
        OfferUnit.HalfDay => "Half day",
        OfferUnit.CoursePlace => "Course place",
        OfferUnit.TermDeployment => "Term deployment",
        Phase.AllThrough => "All-through",
        Phase.Pru => "Pupil referral unit",
        ProviderKind.LaTradedService => "Local authority traded service",
        ProviderKind.SchoolToSchool => "School-to-school support",
        ProviderKind.ExternalConsultant => "Independent consultant",
        OfferStatus.AwaitingApproval => "Awaiting approval",
        Marketplace.Domain.Credits.PurchaseRequestStatus.Pending => "Waiting for your school's approver",
        _ => Sentence(value.ToString()),
    };

    public static string Of(string apiName) => apiName;

    public static string Phases(IEnumerable<string> apiNames) =>
        string.Join(", ", apiNames.Select(n => Enum.TryParse<Phase>(n, true, out var p) ? Of(p) : n));

    public static string StatusTagClass(OfferStatus status) => status switch
    {
        OfferStatus.Draft => "govuk-tag--grey",
        OfferStatus.AwaitingApproval => "govuk-tag--yellow",
        OfferStatus.Published => "govuk-tag--green",
        _ => "govuk-tag--red",
    };

    private static string Sentence(string pascal)
    {
        var chars = new List<char>();
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && chars.Count > 0) { chars.Add(' '); chars.Add(char.ToLowerInvariant(c)); }
            else chars.Add(c);
        }
        return new string(chars.ToArray());
    }
}
