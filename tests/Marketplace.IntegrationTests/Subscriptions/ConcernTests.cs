using System.Net;
using System.Text;
using Marketplace.Application.Common;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Identity;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Credits;
using Marketplace.Domain.Subscriptions;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.Subscriptions;

/// <summary>Schools causing concern: each trigger enrols at gold, each way out, overrides, audit, outbox and the CSV import.</summary>
[Trait("Category", "DateSensitive")]
public class ConcernTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private string Day(int daysAgo) => Fixture.Clock.Today().AddDays(-daysAgo).ToString("yyyy-MM-dd");

    private Task<HttpClient> CommissionerAsync() => Fixture.ClientFor(DemoAccounts.YorkCommissioner);

    private Task<int> AllowanceGrantsAsync(Guid schoolId) =>
        Fixture.DbAsync(db => db.LedgerTransactions.CountAsync(t => t.SchoolId == schoolId && t.Kind == LedgerTransactionKind.AllowanceGrant));

    [Fact]
    public async Task An_Ofsted_grade_3_upgrades_the_school_to_gold_paid_by_the_fund_with_audit_and_emails()
    {
        var school = await Fixture.YorkSchoolAsync(Tier.Silver);
        var schoolBuyer = await TestUsers.CreateAsync(Fixture, Roles.SchoolBuyer, urn: school.Urn);
        var before = (await Fixture.ActiveSubscriptionAsync(school.Id))!;
        var balanceBefore = await Fixture.WalletBalanceAsync(school.Id);
        var commissioner = await CommissionerAsync();

        var audit = await (await commissioner.PostJsonAsync("/api/v1/las/816/ofsted-outcomes", new { urn = school.Urn, inspectionDate = Day(10), grade = 3 })).JsonAsync(HttpStatusCode.OK);

        var after = (await Fixture.ActiveSubscriptionAsync(school.Id))!;
        Assert.Equal(Tier.Gold, after.Tier);
        Assert.Equal(before.Id, after.Id);
        var upgrade = after.Changes.Single(c => c.Kind == SubscriptionChangeKind.Upgraded);
        Assert.Equal((0L, upgrade.FeePence, "Schools Causing Concern Fund"), (upgrade.SchoolSharePence, upgrade.FundSharePence, upgrade.FundName)); // York's policy: the fund pays
        // York: silver 25 credits a year, gold 45.
        var difference = Expected.ProratedCredits(45 - 25, before.PeriodStart, before.PeriodEnd, Fixture.Clock.Today());
        Assert.Equal(difference, upgrade.Credits);
        Assert.Equal(balanceBefore + difference, await Fixture.WalletBalanceAsync(school.Id));
        var enrolment = await Fixture.DbAsync(db => db.ConcernEnrolments.SingleAsync(e => e.SchoolId == school.Id));
        Assert.Equal((EnrolmentStatus.Active, (Tier?)Tier.Silver), (enrolment.Status, enrolment.PreviousTier));
        var actions = audit.EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Contains("ofsted.recorded", actions);
        Assert.Contains("concern.enrolled", actions);
        Assert.All(audit.EnumerateArray(), a => Assert.Equal("York Commissioning Officer", a.GetProperty("actor").GetString()));
        var mail = await Fixture.DbAsync(db => db.OutboxMessages.Where(m => m.DedupeKey.StartsWith("concern-enrolled:")).Select(m => m.ToAddress).ToListAsync());
        Assert.Contains(DemoAccounts.YorkCommissioner, mail);
        Assert.Contains(schoolBuyer, mail);

        // The same outcome again is recognised and changes nothing.
        await (await commissioner.PostJsonAsync("/api/v1/las/816/ofsted-outcomes", new { urn = school.Urn, inspectionDate = Day(10), grade = 3 })).JsonAsync(HttpStatusCode.OK);
        // The same date with another grade is a conflict.
        await (await commissioner.PostJsonAsync("/api/v1/las/816/ofsted-outcomes", new { urn = school.Urn, inspectionDate = Day(10), grade = 4 })).ProblemAsync(HttpStatusCode.Conflict);
        // The period's allowance and the upgrade's difference (none on a year's last day, when it rounds to 0).
        Assert.Equal(difference > 0 ? 2 : 1, await AllowanceGrantsAsync(school.Id));
        Assert.Equal(1, await Fixture.DbAsync(db => db.ConcernEnrolments.CountAsync(e => e.SchoolId == school.Id)));
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task Racing_outcomes_for_one_school_enrol_it_once()
    {
        var school = await Fixture.YorkSchoolAsync(Tier.Bronze);
        var before = (await Fixture.ActiveSubscriptionAsync(school.Id))!;
        var commissioner = await CommissionerAsync();

        var responses = await Task.WhenAll(Enumerable.Range(1, 8).Select(i =>
            commissioner.PostJsonAsync("/api/v1/las/816/ofsted-outcomes", new { urn = school.Urn, inspectionDate = Day(i), grade = 4 })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await Fixture.DbAsync(db => db.ConcernEnrolments.CountAsync(e => e.SchoolId == school.Id)));
        Assert.Equal(1, (await Fixture.ActiveSubscriptionAsync(school.Id))!.Changes.Count(c => c.Kind == SubscriptionChangeKind.Upgraded));
        // York: bronze 10 credits a year, gold 45; no difference grant when it rounds to 0 (a year's last day).
        var difference = Expected.ProratedCredits(45 - 10, before.PeriodStart, before.PeriodEnd, Fixture.Clock.Today());
        Assert.Equal(difference > 0 ? 2 : 1, await AllowanceGrantsAsync(school.Id));
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task An_at_risk_flag_gives_an_unsubscribed_school_a_new_gold_subscription_which_lapses_after_the_flag_clears()
    {
        var school = await Fixture.YorkSchoolAsync(tier: null);
        var commissioner = await CommissionerAsync();

        await (await commissioner.PostJsonAsync($"/api/v1/las/816/schools/{school.Urn}/risk-flag",
            new { reasons = new[] { "attainmentBelowFloor", "leadershipOrGovernance" }, note = "Annual risk assessment" })).JsonAsync(HttpStatusCode.OK);

        var sub = (await Fixture.ActiveSubscriptionAsync(school.Id))!;
        Assert.Equal((Tier.Gold, SubscriptionOrigin.ConcernEnrolment, Payer.Fund), (sub.Tier, sub.Origin, sub.Payer));
        Assert.Equal(Proration.Credits(sub.CreditsIncluded, sub.Period, Fixture.Clock.Today()), await Fixture.WalletBalanceAsync(school.Id));
        await (await commissioner.PostJsonAsync($"/api/v1/las/816/schools/{school.Urn}/risk-flag", new { reasons = new[] { "statutoryDuties" } })).ProblemAsync(HttpStatusCode.Conflict);

        await (await commissioner.PostJsonAsync($"/api/v1/las/816/schools/{school.Urn}/risk-flag/clear", new { })).ProblemAsync(HttpStatusCode.BadRequest, "reason");
        var audit = await (await commissioner.PostJsonAsync($"/api/v1/las/816/schools/{school.Urn}/risk-flag/clear", new { reason = "Floor standards met" })).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "concern.exit");
        var enrolment = await Fixture.DbAsync(db => db.ConcernEnrolments.SingleAsync(e => e.SchoolId == school.Id));
        Assert.Equal(EnrolmentStatus.Exiting, enrolment.Status);
        sub = (await Fixture.ActiveSubscriptionAsync(school.Id))!;
        Assert.Equal(Tier.Gold, sub.Tier); // gold runs to the period end
        Assert.Equal(sub.PeriodEnd, sub.EndsOn);

        Fixture.SetToday(sub.PeriodEnd.AddDays(1));
        await Fixture.RunDailyJobAsync();
        Assert.Null(await Fixture.ActiveSubscriptionAsync(school.Id)); // no previous tier to return to
        Assert.Equal(EnrolmentStatus.Ended, (await Fixture.DbAsync(db => db.ConcernEnrolments.SingleAsync(e => e.SchoolId == school.Id))).Status);
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task A_better_inspection_ends_concern_and_the_school_renews_at_its_previous_tier()
    {
        var school = await Fixture.YorkSchoolAsync(Tier.Silver);
        var commissioner = await CommissionerAsync();
        await (await commissioner.PostJsonAsync("/api/v1/las/816/ofsted-outcomes", new { urn = school.Urn, inspectionDate = Day(20), grade = 3 })).JsonAsync(HttpStatusCode.OK);
        // A late report of an older inspection does not override the newer judgement.
        await (await commissioner.PostJsonAsync("/api/v1/las/816/ofsted-outcomes", new { urn = school.Urn, inspectionDate = Day(400), grade = 1 })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(EnrolmentStatus.Active, (await Fixture.DbAsync(db => db.ConcernEnrolments.SingleAsync(e => e.SchoolId == school.Id))).Status);

        await (await commissioner.PostJsonAsync("/api/v1/las/816/ofsted-outcomes", new { urn = school.Urn, inspectionDate = Day(2), grade = 2 })).JsonAsync(HttpStatusCode.OK);

        var sub = (await Fixture.ActiveSubscriptionAsync(school.Id))!;
        Assert.Equal((Tier.Gold, (Tier?)Tier.Silver), (sub.Tier, sub.NextPeriodTier));
        Assert.Equal(EnrolmentStatus.Exiting, (await Fixture.DbAsync(db => db.ConcernEnrolments.SingleAsync(e => e.SchoolId == school.Id))).Status);

        Fixture.SetToday(sub.PeriodEnd.AddDays(1));
        await Fixture.RunDailyJobAsync();
        var next = (await Fixture.ActiveSubscriptionAsync(school.Id))!;
        Assert.Equal((Tier.Silver, SubscriptionOrigin.Renewal, Payer.School), (next.Tier, next.Origin, next.Payer));
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task A_school_still_causing_concern_at_period_end_renews_at_gold()
    {
        var enrolled = await Fixture.DbAsync(db => db.ConcernEnrolments.Where(e => e.Status == EnrolmentStatus.Active && e.PreviousTier == Tier.Bronze
            && db.LocalAuthorities.Any(l => l.Id == e.LocalAuthorityId && l.Code == DemoAccounts.YorkCode)).FirstAsync());
        var sub = (await Fixture.ActiveSubscriptionAsync(enrolled.SchoolId))!;

        Fixture.SetToday(sub.PeriodEnd.AddDays(1));
        await Fixture.RunDailyJobAsync();

        var next = (await Fixture.ActiveSubscriptionAsync(enrolled.SchoolId))!;
        Assert.Equal((Tier.Gold, SubscriptionOrigin.ConcernEnrolment, Payer.Fund), (next.Tier, next.Origin, next.Payer));
        Assert.Equal(next.Id, (await Fixture.DbAsync(db => db.ConcernEnrolments.SingleAsync(e => e.Id == enrolled.Id))).SubscriptionId);
    }

    [Fact]
    public async Task LA_staff_override_with_a_reason_and_can_lift_the_override()
    {
        var enrolled = await Fixture.DbAsync(db => db.ConcernEnrolments.Where(e => e.Status == EnrolmentStatus.Active && e.PreviousTier == Tier.Bronze
            && db.LocalAuthorities.Any(l => l.Id == e.LocalAuthorityId && l.Code == DemoAccounts.YorkCode))
            .Join(db.Schools, e => e.SchoolId, s => s.Id, (e, s) => s).FirstAsync());
        var commissioner = await CommissionerAsync();

        await (await commissioner.PostJsonAsync($"/api/v1/las/816/schools/{enrolled.Urn}/concern/override", new { })).ProblemAsync(HttpStatusCode.BadRequest, "reason");
        var audit = await (await commissioner.PostJsonAsync($"/api/v1/las/816/schools/{enrolled.Urn}/concern/override",
            new { reason = "Supported by its trust's own improvement team" })).JsonAsync(HttpStatusCode.OK);

        var entry = audit.EnumerateArray().First(a => a.GetProperty("action").GetString() == "concern.override");
        Assert.Equal("Supported by its trust's own improvement team", entry.GetProperty("reason").GetString());
        Assert.Equal("York Commissioning Officer", entry.GetProperty("actor").GetString());
        var sub = (await Fixture.ActiveSubscriptionAsync(enrolled.Id))!;
        Assert.Equal(Tier.Bronze, sub.NextPeriodTier);
        Assert.Equal(EnrolmentStatus.Overridden, (await Fixture.DbAsync(db => db.ConcernEnrolments.SingleAsync(e => e.SchoolId == enrolled.Id))).Status);

        await (await commissioner.PostJsonAsync($"/api/v1/las/816/schools/{enrolled.Urn}/concern/lift-override")).JsonAsync(HttpStatusCode.OK);
        var enrolments = await Fixture.DbAsync(db => db.ConcernEnrolments.Where(e => e.SchoolId == enrolled.Id).ToListAsync());
        Assert.Single(enrolments, e => e.Status == EnrolmentStatus.Active); // the rules apply again: enrolled (already gold)
        Assert.Null((await Fixture.ActiveSubscriptionAsync(enrolled.Id))!.NextPeriodTier);

        var fine = await Fixture.YorkSchoolAsync(Tier.Silver);
        await (await commissioner.PostJsonAsync($"/api/v1/las/816/schools/{fine.Urn}/concern/override", new { reason = "x" })).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_CSV_with_bad_rows_is_answered_row_by_row_and_imports_only_the_good_rows()
    {
        var good = await Fixture.YorkSchoolAsync(Tier.Silver);
        var untouched = await Fixture.YorkSchoolAsync(Tier.Bronze);
        var otherLa = await Fixture.DbAsync(db => db.Schools.Where(s => s.LocalAuthority!.Code != DemoAccounts.YorkCode).Select(s => s.Urn).FirstAsync());
        var csv = new StringBuilder()
            .Append("URN,Inspection date,Grade\r\n")
            .Append($"{good.Urn},{Day(5)},4\r\n")          // row 2: good
            .Append("999999,2025-01-10,3\r\n")              // row 3: unknown URN
            .Append($"{otherLa},2025-01-10,3\r\n")          // row 4: another LA's school
            .Append($"{untouched.Urn},2025-01-10,7\r\n")    // row 5: grade 7
            .Append($"{untouched.Urn},10/13/2025,3\r\n")    // row 6: malformed date
            .Append($"{good.Urn},{Day(5)},4\r\n")          // row 7: duplicate of row 2
            .ToString();
        var commissioner = await CommissionerAsync();

        var result = await (await commissioner.PostAsync("/api/v1/las/816/ofsted-outcomes/import", new StringContent(csv, Encoding.UTF8, "text/csv")))
            .JsonAsync(HttpStatusCode.OK);

        Assert.Equal(6, result.GetProperty("rows").GetInt32());
        Assert.Equal(1, result.GetProperty("imported").GetInt32());
        var rejected = result.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("row").GetInt32(), r => string.Join(" ", r.GetProperty("errors").EnumerateArray().Select(e => e.GetString())));
        Assert.Equal([3, 4, 5, 6, 7], rejected.Keys.Order());
        Assert.Contains("not a school in City of York", rejected[3]);
        Assert.Contains("not a school in City of York", rejected[4]);
        Assert.Contains("not a grade", rejected[5]);
        Assert.Contains("not a date", rejected[6]);
        Assert.Contains("Duplicate of row 2", rejected[7]);

        Assert.Equal(Tier.Gold, (await Fixture.ActiveSubscriptionAsync(good.Id))!.Tier);
        Assert.Equal(Tier.Bronze, (await Fixture.ActiveSubscriptionAsync(untouched.Id))!.Tier);
        Assert.Equal(1, await Fixture.DbAsync(db => db.OfstedInspections.CountAsync(i => i.SchoolId == untouched.Id))); // only its seeded history
        Assert.Equal(1, await Fixture.DbAsync(db => db.OfstedInspections.CountAsync(i => i.SchoolId == good.Id && i.Source == OutcomeSource.CsvImport)));

        // A file without the expected columns is refused outright.
        await (await commissioner.PostAsync("/api/v1/las/816/ofsted-outcomes/import", new StringContent("a,b\r\n1,2\r\n", Encoding.UTF8, "text/csv")))
            .ProblemAsync(HttpStatusCode.BadRequest, "csv");
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task A_quoted_CSV_field_with_a_line_break_is_one_field_and_rows_are_numbered_by_the_line_they_start_on()
    {
        var good = await Fixture.YorkSchoolAsync(Tier.Silver);
        // Row 2 spans lines 2 to 4: its school name and its notes are quoted and each holds a line break
        // (the notes a doubled quote and a comma too). The unknown URN on line 5 is row 5.
        var csv = "URN,School name,Inspection date,Grade,Notes\r\n"
            + $"{good.Urn},\"St Mary's\r\nUpper site\",{Day(5)},4,\"Lead inspector: \"\"weak\"\", see\nthe report\"\r\n"
            + "999999,Nowhere,2025-01-10,3,\r\n";
        var commissioner = await CommissionerAsync();

        var result = await (await commissioner.PostAsync("/api/v1/las/816/ofsted-outcomes/import", new StringContent(csv, Encoding.UTF8, "text/csv")))
            .JsonAsync(HttpStatusCode.OK);

        Assert.Equal(2, result.GetProperty("rows").GetInt32());
        Assert.Equal(1, result.GetProperty("imported").GetInt32());
        var rejected = Assert.Single(result.GetProperty("rejected").EnumerateArray());
        Assert.Equal(5, rejected.GetProperty("row").GetInt32());
        Assert.Equal("999999", rejected.GetProperty("urn").GetString());
        Assert.Equal(Tier.Gold, (await Fixture.ActiveSubscriptionAsync(good.Id))!.Tier);
        var inspection = await Fixture.DbAsync(db => db.OfstedInspections.SingleAsync(i => i.SchoolId == good.Id && i.Source == OutcomeSource.CsvImport));
        Assert.Equal((Domain.Organisations.OfstedGrade.Inadequate, Fixture.Clock.Today().AddDays(-5)), (inspection.Grade, inspection.InspectionDate));
    }

    [Fact]
    public async Task Other_LAs_and_other_roles_cannot_act_on_Yorks_schools()
    {
        var school = await Fixture.YorkSchoolAsync(Tier.Silver);
        var northYorkshire = await TestUsers.ClientForNewAsync(Fixture, Roles.LaCommissioner, laCode: DemoAccounts.NorthYorkshireCode);
        var york = await CommissionerAsync();
        var nyUrn = await Fixture.DbAsync(db => db.Schools.Where(s => s.LocalAuthority!.Code == DemoAccounts.NorthYorkshireCode).Select(s => s.Urn).FirstAsync());

        await (await northYorkshire.PostJsonAsync("/api/v1/las/816/ofsted-outcomes", new { urn = school.Urn, inspectionDate = Day(3), grade = 4 })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await northYorkshire.GetAsync("/api/v1/las/816/concern")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await york.PostJsonAsync("/api/v1/las/816/ofsted-outcomes", new { urn = nyUrn, inspectionDate = Day(3), grade = 4 })).ProblemAsync(HttpStatusCode.NotFound);
        await (await york.PostJsonAsync("/api/v1/las/999/ofsted-outcomes", new { urn = school.Urn, inspectionDate = Day(3), grade = 4 })).ProblemAsync(HttpStatusCode.NotFound);
        await (await york.PostJsonAsync("/api/v1/las/816/ofsted-outcomes", new { urn = school.Urn, inspectionDate = "2025-02-30", grade = 5 })).ProblemAsync(HttpStatusCode.BadRequest, "inspectionDate", "grade");
        await (await york.PostJsonAsync("/api/v1/las/816/ofsted-outcomes", new { urn = school.Urn, inspectionDate = Fixture.Clock.Today().AddDays(3).ToString("yyyy-MM-dd"), grade = 3 }))
            .ProblemAsync(HttpStatusCode.BadRequest, "inspectionDate");
        await (await york.PostJsonAsync($"/api/v1/las/816/schools/{school.Urn}/risk-flag", new { reasons = new[] { "badVibes" } })).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(Tier.Silver, (await Fixture.ActiveSubscriptionAsync(school.Id))!.Tier);
        Assert.Equal(0, await Fixture.DbAsync(db => db.ConcernEnrolments.CountAsync(e => e.SchoolId == school.Id)));
    }

    [Fact]
    public async Task The_LA_overview_shows_buy_back_tier_mix_and_gold_enrolments()
    {
        var commissioner = await CommissionerAsync();

        var overview = await (await commissioner.GetAsync("/api/v1/las/816/subscriptions")).JsonAsync(HttpStatusCode.OK);
        var concern = await (await commissioner.GetAsync("/api/v1/las/816/concern")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(68, overview.GetProperty("schools").GetInt32());
        Assert.Equal(65, overview.GetProperty("subscribed").GetInt32());
        Assert.Equal(95.6m, overview.GetProperty("buyBackRatePercent").GetDecimal());
        Assert.Equal(65, overview.GetProperty("tierMix").EnumerateArray().Sum(t => t.GetProperty("schools").GetInt32()));
        Assert.Equal(7, overview.GetProperty("causingConcern").GetInt32());
        Assert.Equal(7, overview.GetProperty("enrolledAtGold").GetInt32());
        Assert.Equal(7, concern.GetArrayLength());
        Assert.All(concern.EnumerateArray(), r =>
        {
            Assert.Equal("requiresImprovement", r.GetProperty("ofstedGrade").GetString());
            Assert.Equal("active", r.GetProperty("enrolment").GetString());
            Assert.Equal("gold", r.GetProperty("currentTier").GetString());
        });
    }
}
