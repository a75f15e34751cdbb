using Marketplace.Application.Common;
using Bogus;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Organisations;

namespace Marketplace.Application.DemoWorld;

/// <summary>Generates the demo world's objects deterministically from one Faker; no database access.</summary>
internal sealed class WorldBuilder(Faker f, DateTimeOffset now)
{
    private static readonly string[] YorkPlaces =
    [
        "Acomb", "Clifton", "Dringhouses", "Fishergate", "Haxby", "Heworth", "Huntington", "Osbaldwick",
        "Poppleton", "Rufforth", "Skelton", "Stockton Lane", "Tang Hall", "Wigginton", "Copmanthorpe",
        "Bishopthorpe", "Dunnington", "Elvington", "Wheldrake", "Naburn", "Strensall", "Knavesmire",
        "Burton Green", "Carr", "Westfield", "Woodthorpe", "Badger Hill", "Hempland", "Park Grove",
        "Yearsley Grove", "Scarcroft", "Clifton Green", "Askham Bryan", "Holgate", "Foxwood", "Lakeside",
        "Hob Moor", "Murton", "Rawcliffe", "Heslington", "Fulford", "Layerthorpe", "Bootham", "Walmgate",
        "Nether Poppleton", "Upper Poppleton", "Earswick", "Deighton", "Kexby", "Holtby", "Stamford Bridge Road",
        "Tockwith Road", "Moor Lane", "Hull Road", "Leeman Road", "Tadcaster Road", "Water End", "Bur Dike",
        "Wenlock", "Millfield", "Ouse Acres", "Chapelfields", "Cornlands", "Gale Lane", "Foss Bank",
        "Monk Stray", "Nunthorpe", "Southbank", "Minster View", "Derwent Vale",
    ];

    private static readonly string[] Saints = ["Wilfrid", "Aelred", "Oswald", "Paul", "Barnabas", "Lawrence", "Mary", "George", "Margaret Clitherow", "Hilda"];
    private static readonly string[] YorkClusters = ["Acomb and Westfield", "Fulford and Heslington", "Haxby and Wigginton", "Huntington and New Earswick", "York Central", "Tadcaster Road"];

    public List<LocalAuthority> LocalAuthorities { get; } = [];
    public List<School> Schools { get; } = [];
    public List<Provider> Providers { get; } = [];
    public List<Offer> Offers { get; } = [];
    private readonly Dictionary<Guid, OfferFate> _fates = [];
    private readonly HashSet<int> _urns = [];

    public LocalAuthority York { get; private set; } = null!;
    public School BuyerSchool { get; private set; } = null!;
    public Provider YorkProviderTeam { get; private set; } = null!;
    public Provider Ebor { get; private set; } = null!;
    public Provider DemoConsultant { get; private set; } = null!;

    private enum OfferFate { Published, PublishedThenRevised, Draft, AwaitingApproval, Withdrawn }

    public void Build()
    {
        York = new LocalAuthority(Id(), DemoAccounts.YorkCode, "City of York", "York Schools Improvement Service", 50_00);
        // A requester's purchase over £500 (ten credits at York's price) waits for the school's approver.
        York.SetCreditPurchaseApprovalLimit(500_00);
        var northYorkshire = new LocalAuthority(Id(), DemoAccounts.NorthYorkshireCode, "North Yorkshire", "North Yorkshire Education Services", 55_00);
        var eastRiding = new LocalAuthority(Id(), DemoAccounts.EastRidingCode, "East Riding of Yorkshire", "East Riding School Improvement Traded Services", 48_00);
        LocalAuthorities.AddRange([York, northYorkshire, eastRiding]);

        BuildYorkSchools();
        BuildOtherSchools(northYorkshire, ["Harrogate", "Ripon", "Selby", "Thirsk", "Malton", "Northallerton", "Skipton", "Tadcaster", "Easingwold", "Pickering", "Richmond", "Bedale", "Settle", "Whitby", "Helmsley", "Knaresborough", "Boroughbridge", "Sherburn", "Stokesley", "Filey", "Masham", "Leyburn"], ["Harrogate", "Selby", "Hambleton", "Ryedale"]);
        BuildOtherSchools(eastRiding, ["Beverley", "Bridlington", "Driffield", "Goole", "Hornsea", "Howden", "Pocklington", "Withernsea", "Cottingham", "Hessle", "Market Weighton", "Brough", "Hedon", "Anlaby", "Willerby", "Walkington", "Leven", "Holme-on-Spalding-Moor", "Patrington", "Snaith"], ["Beverley", "Bridlington", "Goole", "Holderness"]);

        BuildProviders(northYorkshire, eastRiding);
    }

    private Guid Id() => f.Random.Guid();

    private int NewUrn(int prefixLow, int prefixHigh)
    {
        while (true)
        {
            var urn = f.Random.Int(prefixLow, prefixHigh);
            if (_urns.Add(urn)) return urn;
        }
    }

    private void BuildYorkSchools()
    {
        // 68 schools: 55 primary, 10 secondary, 3 special. Seven are graded requires improvement (3), as
        // in York's 2015/16 plan; the rest good or outstanding.
        var places = f.Random.Shuffle(YorkPlaces).ToList();
        var phases = Enumerable.Repeat(Phase.Primary, 55).Concat(Enumerable.Repeat(Phase.Secondary, 10)).Concat(Enumerable.Repeat(Phase.Special, 3)).ToList();
        var riIndexes = new HashSet<int>(f.Random.Shuffle(Enumerable.Range(1, 67)).Take(7));
        for (var i = 0; i < phases.Count; i++)
        {
            var phase = phases[i];
            var academy = f.Random.Bool(phase == Phase.Secondary ? 0.6f : 0.35f);
            var place = places[i];
            var name = phase switch
            {
                Phase.Secondary => f.Random.Bool(0.3f) ? $"{place} Academy" : $"{place} School",
                Phase.Special => $"{place} Special School",
                _ => f.Random.Int(0, 9) switch
                {
                    0 => $"St {f.PickRandom(Saints)}'s Catholic Primary School",
                    1 or 2 => $"{place} Church of England Primary School",
                    3 => $"{place} Infant School",
                    _ => $"{place} Primary School",
                },
            };
            var pupils = phase switch
            {
                Phase.Secondary => f.Random.Int(650, 1550),
                Phase.Special => f.Random.Int(60, 180),
                _ => f.Random.Int(90, 440),
            };
            var urn = academy ? NewUrn(138000, 149999) : NewUrn(121200, 121799);
            var school = new School(Id(), urn, Unique(name), York.Id, phase,
                academy ? SchoolType.Academy : SchoolType.Maintained, YorkClusters[i % YorkClusters.Length], pupils);
            var grade = riIndexes.Contains(i) ? OfstedGrade.RequiresImprovement : f.Random.Bool(0.25f) ? OfstedGrade.Outstanding : OfstedGrade.Good;
            school.RecordOfstedOutcome(grade, UkClock.DateOf(now).AddDays(-f.Random.Int(60, 1400)));
            Schools.Add(school);
        }

        // The demo buyer's school: the first maintained primary judged good.
        BuyerSchool = Schools.First(s => s.Phase == Phase.Primary && s.Type == SchoolType.Maintained && s.OfstedGrade == OfstedGrade.Good);
    }

    private string Unique(string name)
    {
        var candidate = name;
        for (var n = 2; Schools.Any(s => s.Name == candidate); n++)
            candidate = name.Replace(" School", "") + $" ({n})";
        return candidate;
    }

    private void BuildOtherSchools(LocalAuthority la, string[] towns, string[] clusters)
    {
        foreach (var (town, i) in towns.Select((t, i) => (t, i)))
        {
            var secondary = i % 5 == 4;
            var phase = secondary ? Phase.Secondary : Phase.Primary;
            var academy = f.Random.Bool(0.5f);
            var urn = academy ? NewUrn(138000, 149999) : NewUrn(la.Code == DemoAccounts.NorthYorkshireCode ? 121000 : 117900, la.Code == DemoAccounts.NorthYorkshireCode ? 121199 : 118199);
            var school = new School(Id(), urn, secondary ? $"{town} High School" : $"{town} {f.PickRandom("Primary School", "Community Primary School", "CE Primary School")}",
                la.Id, phase, academy ? SchoolType.Academy : SchoolType.Maintained, clusters[i % clusters.Length],
                secondary ? f.Random.Int(700, 1400) : f.Random.Int(80, 420));
            school.RecordOfstedOutcome(f.Random.WeightedRandom([OfstedGrade.Outstanding, OfstedGrade.Good, OfstedGrade.RequiresImprovement, OfstedGrade.Inadequate], [0.2f, 0.6f, 0.15f, 0.05f]),
                UkClock.DateOf(now).AddDays(-f.Random.Int(60, 1400)));
            Schools.Add(school);
        }
    }

    private Provider AddProvider(string name, ProviderKind kind, LocalAuthority la, string description, Guid? schoolId = null)
    {
        var p = new Provider(Id(), name, kind, la.Id, description, schoolId);
        Providers.Add(p);
        return p;
    }

    private void AddPractitioner(Provider provider, string specialism, params Accreditation[] accreditations) =>
        provider.Practitioners.Add(new Practitioner(Id(), provider.Id, f.Name.FullName(), specialism, accreditations));

    private void BuildProviders(LocalAuthority northYorkshire, LocalAuthority eastRiding)
    {
        // 1. York's commissioned provider team.
        YorkProviderTeam = AddProvider("City of York Council School Improvement Team", ProviderKind.LaTradedService, York,
            "York's commissioned provider team: subject consultants for English, mathematics and science in primary and secondary, early years advisers and the York Challenge Partners.");
        foreach (var s in new[] { "English (primary)", "English (secondary)", "Mathematics (primary)", "Mathematics (secondary)", "Science (primary)", "Science (secondary)", "Early years" })
            AddPractitioner(YorkProviderTeam, s + " consultant");
        for (var i = 0; i < 4; i++) AddPractitioner(YorkProviderTeam, "York Challenge Partner", Accreditation.AccreditedSchoolImprovementPartner);

        foreach (var subject in new[] { Subject.English, Subject.Mathematics, Subject.Science })
        foreach (var phase in new[] { Phase.Primary, Phase.Secondary })
            AddSubjectOffers(YorkProviderTeam, subject, phase, dayPence: 475_00, credits: 10);
        AddOffer(YorkProviderTeam, "Early years foundation stage consultancy day", "An early years adviser works alongside your EYFS leader on provision, assessment and moderation.", OfferCategory.SubjectConsultancy, Subject.EarlyYears, Phase.Nursery | Phase.Primary, OfferUnit.Day, 450_00, 9, (9, 8, 7));
        AddOffer(YorkProviderTeam, "York Challenge Partner visit", "A termly challenge and support visit from an accredited school improvement partner, with a written note of visit for governors.", OfferCategory.Leadership, Subject.Leadership, Phase.Primary | Phase.Secondary | Phase.Special, OfferUnit.Session, 400_00, 8, (8, 7, 6), usesAdviserSessions: true);
        AddOffer(YorkProviderTeam, "Ofsted preparation briefing for schools due for inspection", "A professional briefing for headteachers and governors of schools due for inspection: the current framework, evidence and the inspection day. Budgeted by York at £2,000 a briefing.", OfferCategory.OfstedPreparation, Subject.Leadership, Phase.Primary | Phase.Secondary | Phase.Special, OfferUnit.Session, 2_000_00, 40, (40, 36, 32));
        AddOffer(YorkProviderTeam, "Pupil Premium review", "An external review of your Pupil Premium strategy and spending against the DfE guidance, with an action plan for disadvantaged pupils.", OfferCategory.Review, Subject.PupilPremium, Phase.Primary | Phase.Secondary, OfferUnit.Day, 950_00, 19, (null, 18, 16));
        AddOffer(YorkProviderTeam, "Headteacher performance management advice", "An accredited adviser supports governors through the headteacher's annual performance review.", OfferCategory.Leadership, Subject.Leadership, Phase.Primary | Phase.Secondary | Phase.Special, OfferUnit.HalfDay, 300_00, 6, (6, 5, 5));
        AddOffer(YorkProviderTeam, "Moderation of writing at key stage 2", "Statutory-standard moderation training and a moderation visit for year 6 teachers.", OfferCategory.CpdCourse, Subject.Assessment, Phase.Primary, OfferUnit.CoursePlace, 120_00, 3, (3, 2, 2));
        AddOffer(YorkProviderTeam, "Safeguarding in education: designated safeguarding lead refresher", "The two-yearly refresher for designated safeguarding leads.", OfferCategory.CpdCourse, Subject.Safeguarding, Phase.Primary | Phase.Secondary | Phase.Special | Phase.Nursery, OfferUnit.CoursePlace, 95_00, 2, (2, 2, 1));

        // 2. School-to-school support: the Ebor alliance (system leaders) and Pathfinder (CPD), both led from York schools.
        var eborHub = Schools.First(s => s.LocalAuthorityId == York.Id && s.Phase == Phase.Secondary && s.OfstedGrade == OfstedGrade.Outstanding);
        Ebor = AddProvider("Ebor Teaching School Alliance", ProviderKind.SchoolToSchool, York,
            "School-to-school support from national and local leaders of education and specialist leaders of education across York.", eborHub.Id);
        for (var i = 0; i < 2; i++) AddPractitioner(Ebor, "Executive headteacher", Accreditation.NationalLeaderOfEducation);
        for (var i = 0; i < 3; i++) AddPractitioner(Ebor, "Headteacher", Accreditation.LocalLeaderOfEducation);
        foreach (var s in new[] { "Mathematics", "English", "Science", "SEND", "Early years", "Behaviour" })
            AddPractitioner(Ebor, "Specialist leader: " + s, Accreditation.SpecialistLeaderOfEducation);
        AddPractitioner(Ebor, "Governance adviser", Accreditation.NationalLeaderOfGovernance);
        AddOffer(Ebor, "National leader of education deployment (one term)", "An NLE and their national support school work with your leadership team for a term on the priorities of your improvement plan. Average cost £10,000 a term.", OfferCategory.SystemLeaderDeployment, Subject.Leadership, Phase.Primary | Phase.Secondary, OfferUnit.TermDeployment, 10_000_00, 200, (null, null, 180));
        AddOffer(Ebor, "National leader of education deployment (one term, secondary)", "An NLE from a secondary national support school for a term of intensive leadership support.", OfferCategory.SystemLeaderDeployment, Subject.Leadership, Phase.Secondary, OfferUnit.TermDeployment, 10_500_00, 210, (null, null, 190));
        AddOffer(Ebor, "Local leader of education deployment (one term)", "A serving headteacher supports a new or acting headteacher for a term.", OfferCategory.SystemLeaderDeployment, Subject.Leadership, Phase.Primary, OfferUnit.TermDeployment, 6_000_00, 120, (null, 115, 105));
        AddOffer(Ebor, "National leader of governance review", "An NLG reviews your governing board's effectiveness against the governance handbook.", OfferCategory.Governance, Subject.Governance, Phase.Primary | Phase.Secondary | Phase.Special, OfferUnit.Day, 600_00, 12, (12, 11, 10));
        AddOffer(Ebor, "External review of governance", "A structured external review of governance, recommended after an inspection that asks for one.", OfferCategory.Review, Subject.Governance, Phase.Primary | Phase.Secondary, OfferUnit.Day, 650_00, 13, (null, 12, 11));
        foreach (var (subject, label) in new[] { (Subject.Mathematics, "mathematics"), (Subject.English, "English"), (Subject.Science, "science"), (Subject.Send, "SEND"), (Subject.EarlyYears, "early years") })
        {
            AddOffer(Ebor, $"Specialist leader of education support day: {label}", $"An SLE in {label} works with your subject leader on a focused improvement priority.", OfferCategory.SubjectConsultancy, subject, Phase.Primary | Phase.Secondary, OfferUnit.Day, 400_00, 8, (8, 7, 6));
            AddOffer(Ebor, $"SLE half-day coaching: {label}", $"Half a day of coaching for a subject leader in {label}.", OfferCategory.SubjectConsultancy, subject, Phase.Primary | Phase.Secondary, OfferUnit.HalfDay, 220_00, 4, (4, 4, 3));
        }

        var pathfinderHub = Schools.First(s => s.LocalAuthorityId == York.Id && s.Phase == Phase.Primary && s.OfstedGrade == OfstedGrade.Outstanding && s.Id != BuyerSchool.Id);
        var pathfinder = AddProvider("Pathfinder Teaching School Alliance", ProviderKind.SchoolToSchool, York,
            "Continuing professional development for teachers and leaders at every stage, from early career to headship.", pathfinderHub.Id);
        foreach (var s in new[] { "CPD lead", "Early career lead", "Middle leadership facilitator" })
            AddPractitioner(pathfinder, s, Accreditation.SpecialistLeaderOfEducation);
        foreach (var (title, subject, phases, place) in new[]
        {
            ("Early career teacher programme: year one", Subject.Leadership, Phase.Primary | Phase.Secondary, 350_00),
            ("Middle leadership development programme", Subject.Leadership, Phase.Primary | Phase.Secondary, 450_00),
            ("Aspiring senior leaders programme", Subject.Leadership, Phase.Primary | Phase.Secondary, 550_00),
            ("Outstanding teacher programme", Subject.Assessment, Phase.Primary | Phase.Secondary, 400_00),
            ("Phonics leadership course", Subject.English, Phase.Primary | Phase.Nursery, 150_00),
            ("Teaching for mastery in mathematics", Subject.Mathematics, Phase.Primary, 180_00),
            ("Mathematics subject leader network (three sessions)", Subject.Mathematics, Phase.Primary, 120_00),
            ("English subject leader network (three sessions)", Subject.English, Phase.Primary, 120_00),
            ("Science subject leader network (three sessions)", Subject.Science, Phase.Primary | Phase.Secondary, 120_00),
            ("Adaptive teaching for pupils with SEND", Subject.Send, Phase.Primary | Phase.Secondary | Phase.Special, 140_00),
            ("Computing curriculum for non-specialists", Subject.Computing, Phase.Primary, 130_00),
            ("Modern foreign languages in key stage 2", Subject.ModernLanguages, Phase.Primary, 110_00),
            ("Primary PE and sport premium: making it count", Subject.PhysicalEducation, Phase.Primary, 90_00),
            ("History and geography: a knowledge-rich curriculum", Subject.Humanities, Phase.Primary, 110_00),
            ("Art and design leadership", Subject.Arts, Phase.Primary, 100_00),
            ("Teaching assistant effective deployment", Subject.Send, Phase.Primary | Phase.Secondary, 95_00),
            ("Coaching skills for leaders", Subject.Leadership, Phase.Primary | Phase.Secondary | Phase.Special, 250_00),
            ("Closing the gap for disadvantaged pupils", Subject.PupilPremium, Phase.Primary | Phase.Secondary, 160_00),
        })
        {
            var credits = Math.Max(2, (int)(place / 5000));
            AddOffer(pathfinder, title, $"{title}: a course run by Pathfinder's specialist leaders in York schools, with gap tasks between sessions and resources to share with colleagues.",
                OfferCategory.CpdCourse, subject, phases, OfferUnit.CoursePlace, place, credits, (credits, credits, Math.Max(1, credits - 1)));
        }

        // 3. Independent consultants, some from neighbouring LAs.
        var consultants = new (string Name, LocalAuthority La, Subject Subject, string Focus)[]
        {
            ("Ouse Valley Education Consultancy", York, Subject.Mathematics, "mathematics"),
            ("Minster Learning Associates", York, Subject.English, "reading and writing"),
            ("Dales Leadership Partners", northYorkshire, Subject.Leadership, "leadership and management"),
            ("Wolds Science Support", eastRiding, Subject.Science, "science"),
            ("Inclusion Matters Consulting", northYorkshire, Subject.Send, "SEND and inclusion"),
            ("Humber Governance Services", eastRiding, Subject.Governance, "governance"),
            ("Clearview Assessment", York, Subject.Assessment, "assessment and data"),
        };
        foreach (var (name, la, subject, focus) in consultants)
        {
            var c = AddProvider(name, ProviderKind.ExternalConsultant, la, $"Independent consultancy in {focus} for primary and secondary schools.");
            AddPractitioner(c, "Lead consultant: " + focus, subject == Subject.Leadership ? [Accreditation.AccreditedSchoolImprovementPartner] : []);
            AddPractitioner(c, "Associate consultant: " + focus, subject == Subject.PupilPremium ? [Accreditation.PupilPremiumReviewer] : []);
            var category = subject == Subject.Governance ? OfferCategory.Governance : subject == Subject.Leadership ? OfferCategory.Leadership : OfferCategory.SubjectConsultancy;
            var day = f.Random.Int(42, 65) * 10_00;
            var credits = (int)(day / la.CreditPricePence);
            AddOffer(c, $"{Cap(focus)} consultancy day", $"A day's consultancy in {focus}: audit, lesson visits, work scrutiny and a written report with next steps.", category, subject, Phase.Primary | Phase.Secondary, OfferUnit.Day, day, credits, (credits, credits - 1, credits - 2));
            AddOffer(c, $"{Cap(focus)} half-day review", $"A focused half-day review of {focus} with verbal feedback on the day.", category, subject, Phase.Primary | Phase.Secondary, OfferUnit.HalfDay, day / 2 + 25_00, credits / 2 + 1, (credits / 2 + 1, credits / 2, credits / 2));
            AddOffer(c, $"{Cap(focus)} twilight training session", $"A twilight staff training session on {focus}, tailored to your school.", OfferCategory.CpdCourse, subject, Phase.Primary | Phase.Secondary | Phase.Special, OfferUnit.Session, 350_00, (int)(350_00 / la.CreditPricePence), ((int)(350_00 / la.CreditPricePence), (int)(350_00 / la.CreditPricePence), (int)(320_00 / la.CreditPricePence)));
            AddOffer(c, $"{Cap(focus)} Pupil Premium review", $"A Pupil Premium review with a focus on {focus}.", OfferCategory.Review, Subject.PupilPremium, Phase.Primary | Phase.Secondary, OfferUnit.Day, day + 200_00, credits + 4, (null, credits + 3, credits + 2));
            AddOffer(c, $"Preparing for inspection: {focus}", $"A half-day deep dive rehearsal in {focus} for schools expecting inspection, with feedback for leaders.", OfferCategory.OfstedPreparation, subject, Phase.Primary | Phase.Secondary, OfferUnit.HalfDay, day / 2 + 50_00, credits / 2 + 2, (null, credits / 2 + 1, credits / 2));
            if (name.StartsWith("Ouse", StringComparison.Ordinal)) DemoConsultant = c;
        }

        // Neighbouring LAs' own traded services also sell to York schools (external income for them).
        foreach (var la in new[] { northYorkshire, eastRiding })
        {
            var team = AddProvider($"{la.Name} School Improvement Service", ProviderKind.LaTradedService, la,
                $"{la.Name}'s traded school improvement advisers.");
            foreach (var s in new[] { "English", "Mathematics", "Science" }) AddPractitioner(team, s + " adviser");
            AddPractitioner(team, "School improvement adviser", Accreditation.AccreditedSchoolImprovementPartner);
            foreach (var subject in new[] { Subject.English, Subject.Mathematics, Subject.Science })
            foreach (var phase in new[] { Phase.Primary, Phase.Secondary })
                AddSubjectOffers(team, subject, phase, dayPence: 495_00, credits: (int)(495_00 / la.CreditPricePence));
        }
    }

    private static string Cap(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    private void AddSubjectOffers(Provider p, Subject subject, Phase phase, long dayPence, int credits)
    {
        var subjectName = subject == Subject.Mathematics ? "mathematics" : subject == Subject.English ? "English" : "science";
        var phaseName = phase == Phase.Primary ? "primary" : "secondary";
        AddOffer(p, $"{Cap(subjectName)} consultant day ({phaseName})", $"A {phaseName} {subjectName} consultant spends a day in your school: lesson visits, book looks, pupil voice and planning with the subject leader, followed by a written report.", OfferCategory.SubjectConsultancy, subject, phase, OfferUnit.Day, dayPence, credits, (credits, credits - 1, credits - 2));
        AddOffer(p, $"{Cap(subjectName)} consultant half day ({phaseName})", $"Half a day of {phaseName} {subjectName} consultancy on one priority you choose.", OfferCategory.SubjectConsultancy, subject, phase, OfferUnit.HalfDay, dayPence / 2 + 25_00, credits / 2 + 1, (credits / 2 + 1, credits / 2, credits / 2));
        AddOffer(p, $"{Cap(subjectName)} subject review ({phaseName})", $"A two-day review of {subjectName} in a {phaseName} school against the inspection framework, with a report for leaders and governors.", OfferCategory.Review, subject, phase, OfferUnit.Day, dayPence * 2, credits * 2, (null, credits * 2 - 1, credits * 2 - 3));
        AddOffer(p, $"{Cap(subjectName)} subject leader development day ({phaseName})", $"Coaching and planning time for a {phaseName} {subjectName} subject leader: monitoring, curriculum sequencing and action planning.", OfferCategory.Leadership, subject, phase, OfferUnit.Day, dayPence, credits, (credits, credits - 1, credits - 2));
        AddOffer(p, $"{Cap(subjectName)} lesson study cycle ({phaseName})", $"A three-session lesson study cycle for a team of {phaseName} {subjectName} teachers, led by a consultant.", OfferCategory.CpdCourse, subject, phase, OfferUnit.Session, dayPence / 2, credits / 2, (credits / 2, credits / 2, credits / 2 - 1));
        AddOffer(p, $"{Cap(subjectName)} subject leader network ({phaseName})", $"Termly network meetings for {phaseName} {subjectName} leaders: national updates, moderation and shared practice.", OfferCategory.CpdCourse, subject, phase, OfferUnit.CoursePlace, 150_00, 3, (3, 2, 2));
    }

    private void AddOffer(Provider p, string title, string description, OfferCategory category, Subject subject,
        Phase phases, OfferUnit unit, long pricePence, int priceCredits, (int? Bronze, int? Silver, int? Gold) tiers, bool usesAdviserSessions = false)
    {
        var standards = unit switch
        {
            OfferUnit.TermDeployment => "Deployment plan agreed within 10 working days; fortnightly contact; written impact report at the end of term.",
            OfferUnit.CoursePlace => "Joining instructions 10 working days before the course; materials shared within 5 working days after it.",
            _ => "Visit confirmed within 5 working days of request; written report within 10 working days of the visit.",
        };
        // LA traded services also sell pay-as-you-use in pounds; Challenge Partner visits come out of the tiers' included adviser sessions.
        var content = new OfferContent(title, description, category, subject, phases, unit, pricePence, priceCredits,
            tiers.Bronze, tiers.Silver, tiers.Gold, standards, PayAsYouUse: p.Kind == ProviderKind.LaTradedService, UsesAdviserSessions: usesAdviserSessions);
        var created = now.AddDays(-f.Random.Int(30, 400));
        var offer = Offer.CreateDraft(Id(), p.Id, content, created);
        Offers.Add(offer);
        var fate = f.Random.WeightedRandom(
            [OfferFate.Published, OfferFate.PublishedThenRevised, OfferFate.Draft, OfferFate.AwaitingApproval, OfferFate.Withdrawn],
            [0.80f, 0.06f, 0.05f, 0.06f, 0.03f]);
        _fates[offer.Id] = fate;
    }

    public void ApplyWorkflow(DateTimeOffset at)
    {
        var approver = Guid.Empty; // seeded approvals predate the demo users; recorded as system approval
        foreach (var offer in Offers)
        {
            var fate = _fates[offer.Id];
            if (fate == OfferFate.Draft) continue;
            offer.Submit(offer.CreatedAt.AddDays(1));
            if (fate == OfferFate.AwaitingApproval) continue;
            offer.Approve(approver, offer.CreatedAt.AddDays(3));
            if (fate == OfferFate.Withdrawn) offer.Withdraw(at.AddDays(-7));
            if (fate == OfferFate.PublishedThenRevised)
            {
                // A price rise approved later: version 2 is live, version 1 stays for earlier purchases.
                var c = offer.CurrentVersion.ToContent();
                offer.Edit(c with { PricePence = c.PricePence + c.PricePence / 20, PriceCredits = c.PriceCredits + 1 }, at.AddDays(-20));
                offer.Submit(at.AddDays(-19));
                offer.Approve(approver, at.AddDays(-18));
            }
        }
    }
}
