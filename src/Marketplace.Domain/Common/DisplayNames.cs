using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Credits;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;

namespace Marketplace.Domain.Common;

/// <summary>
/// How enum values read to people (sentence case, GOV.UK style): the one source for pages, emails,
/// validation messages and domain errors, so no internal name (HalfDay, earlyYears) reaches a person.
/// The API still reads and writes its own camelCase names (EnumText).
/// </summary>
public static class DisplayNames
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
        SchoolType.FreeSchool => "Free school",
        OfstedGrade.RequiresImprovement => "Requires improvement",
        ProviderKind.LaTradedService => "Local authority traded service",
        ProviderKind.SchoolToSchool => "School-to-school support",
        ProviderKind.ExternalConsultant => "Independent consultant",
        Accreditation.NationalLeaderOfEducation => "National leader of education",
        Accreditation.LocalLeaderOfEducation => "Local leader of education",
        Accreditation.SpecialistLeaderOfEducation => "Specialist leader of education",
        Accreditation.NationalLeaderOfGovernance => "National leader of governance",
        Accreditation.AccreditedSchoolImprovementPartner => "Accredited school improvement partner",
        Accreditation.PupilPremiumReviewer => "Pupil Premium reviewer",
        OfferStatus.AwaitingApproval => "Awaiting approval",
        PurchaseRequestStatus.Pending => "Waiting for your school's approver",
        BookingStatus.SignedOff => "Signed off",
        BookingEventKind.SignedOff => "Signed off",
        BookingEventKind.ChangeProposed => "Change of dates proposed",
        BookingEventKind.ChangeAccepted => "Change of dates accepted",
        BookingEventKind.ChangeRejected => "Change of dates rejected",
        BookingEventKind.ChangeWithdrawn => "Change of dates withdrawn",
        BookingEventKind.LateRuleWaived => "48-hour rule waived",
        BookingEventKind.DisputeResolved => "Dispute resolved",
        RiskCriterion.AttainmentBelowFloor => "Attainment below the floor",
        RiskCriterion.ValueAddedBelowNational => "Value added below national",
        RiskCriterion.DisadvantagedOrSenGaps => "Gaps for disadvantaged pupils or pupils with SEND",
        RiskCriterion.InconsistentTeaching => "Inconsistent teaching",
        RiskCriterion.LeadershipOrGovernance => "Leadership or governance",
        RiskCriterion.ChangeOfContext => "Change of context",
        RiskCriterion.BehaviourSafetyAttendance => "Behaviour, safety or attendance",
        RiskCriterion.StatutoryDuties => "Statutory duties",
        OutcomeSource.CsvImport => "CSV import",
        SubscriptionChangeKind.DowngradeScheduled => "Downgrade scheduled",
        SubscriptionChangeKind.CancellationGiven => "Notice given",
        SubscriptionChangeKind.RenewalTierSet => "Renewal tier set",
        SubscriptionOrigin.SchoolChoice => "School's choice",
        SubscriptionOrigin.ConcernEnrolment => "Enrolled as a school causing concern",
        RenewalStatus.RenewedByDefault => "Renewed by default",
        Payer.Fund => "A fund",
        Payer.Split => "Split between the school and a fund",
        PeriodBasis.FinancialYear => "Financial year",
        PeriodBasis.AcademicYear => "Academic year",
        PurchaseStatus.OnAccount => "On account",
        LedgerTransactionKind.AllowanceGrant => "Allowance grant",
        LedgerTransactionKind.FundedGrant => "Funded grant",
        LedgerTransactionKind.EarnedGrant => "Earned grant",
        _ => Sentence(value.ToString()),
    };

    /// <summary>The display name in lower case, for the middle of a sentence ("per half day"), keeping acronyms.</summary>
    public static string Lower<TEnum>(TEnum value) where TEnum : struct, Enum => LowerFirst(Of(value));

    /// <summary>Every value's display name, for a message listing the choices ("day, half day, session").</summary>
    public static string Choices<TEnum>() where TEnum : struct, Enum =>
        string.Join(", ", Enum.GetValues<TEnum>().Where(v => v.ToString() != "None").Select(Lower));

    /// <summary>Display names of flags or API names that may be given as strings (phases as the API writes them).</summary>
    public static string OfName<TEnum>(string name) where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(name, true, out var v) && Enum.IsDefined(v) ? Of(v) : name;

    private static string LowerFirst(string s) =>
        s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) && !s.StartsWith("Pupil Premium", StringComparison.Ordinal) && !s.StartsWith("Ofsted", StringComparison.Ordinal)
            ? char.ToLowerInvariant(s[0]) + s[1..]
            : s;

    /// <summary>"SchoolWallet" → "School wallet".</summary>
    public static string Sentence(string pascal)
    {
        var chars = new List<char>(pascal.Length + 4);
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && chars.Count > 0) { chars.Add(' '); chars.Add(char.ToLowerInvariant(c)); }
            else chars.Add(c);
        }
        return new string(chars.ToArray());
    }
}
