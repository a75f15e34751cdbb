using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Common;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Identity;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Subscriptions;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.Subscriptions;

[Trait("Category", "DateSensitive")]
public class StatementAndPackageTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task The_statement_runs_from_opening_to_closing_balance_with_every_movement_traced_to_its_grant()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var client = await Fixture.ClientFor(DemoAccounts.YorkBuyer);

        var statement = await (await client.GetAsync($"/api/v1/schools/{school.Urn}/credits/statement")).JsonAsync(HttpStatusCode.OK);

        var lines = statement.GetProperty("lines").EnumerateArray().ToList();
        Assert.Contains(lines, l => l.GetProperty("kind").GetString() == "allowanceGrant");
        Assert.Contains(lines, l => l.GetProperty("kind").GetString() == "spend" && l.GetProperty("credits").GetInt64() < 0);
        var opening = statement.GetProperty("openingBalance").GetInt64();
        Assert.Equal(opening + lines.Sum(l => l.GetProperty("credits").GetInt64()), statement.GetProperty("closingBalance").GetInt64());
        Assert.Equal(await Fixture.WalletBalanceAsync(school.Id), statement.GetProperty("closingBalance").GetInt64());
        var running = opening;
        foreach (var line in lines)
        {
            running += line.GetProperty("credits").GetInt64();
            Assert.Equal(running, line.GetProperty("balance").GetInt64());
            var grant = line.GetProperty("grantId").GetGuid();
            Assert.True(await Fixture.DbAsync(db => db.CreditGrants.AnyAsync(g => g.Id == grant && g.SchoolId == school.Id)));
        }

        // A later window opens with everything before it.
        // Statement windows are UK calendar days; "at" is an instant (UTC), so take its UK date.
        static DateOnly UkDate(JsonElement line) => UkClock.DateOf(line.GetProperty("at").GetDateTimeOffset());
        var secondDate = UkDate(lines[1]);
        var later = await (await client.GetAsync($"/api/v1/schools/{school.Urn}/credits/statement?from={secondDate.AddDays(1):yyyy-MM-dd}&to={Later(secondDate.AddDays(1), Fixture.Clock.Today()):yyyy-MM-dd}")).JsonAsync(HttpStatusCode.OK);
        static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;
        var before = lines.Where(l => UkDate(l) <= secondDate).Sum(l => l.GetProperty("credits").GetInt64());
        Assert.Equal(opening + before, later.GetProperty("openingBalance").GetInt64());
        Assert.Equal(statement.GetProperty("closingBalance").GetInt64(), later.GetProperty("closingBalance").GetInt64());
    }

    [Fact]
    public async Task The_statement_downloads_as_CSV_with_formula_like_cells_defused()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var client = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var purchase = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{school.Urn}/credits/purchases")
        {
            Content = JsonContent.Create(new { credits = 3, purchaseOrderNumber = "=HYPERLINK(\"http://evil\")" }),
        };
        purchase.Headers.Add("Idempotency-Key", "csv-1");
        await (await client.SendAsync(purchase)).JsonAsync(HttpStatusCode.Created);

        var response = await client.GetAsync($"/api/v1/schools/{school.Urn}/credits/statement.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString());
        var rows = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Date,Type,Description,Reference", rows[0]);
        Assert.Contains("Opening balance", rows[1]);
        Assert.Contains("Closing balance", rows[^1]);
        Assert.EndsWith($",{await Fixture.WalletBalanceAsync(school.Id)},,", rows[^1]);
        Assert.Contains(rows, r => r.Contains("\"'=HYPERLINK(\"\"http://evil\"\")\""));
        Assert.DoesNotContain(rows, r => r.Contains(",=HYPERLINK") || r.Contains(",\"=HYPERLINK"));
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    [Fact]
    public async Task Statement_dates_are_checked()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var client = await Fixture.ClientFor(DemoAccounts.YorkBuyer);

        await (await client.GetAsync($"/api/v1/schools/{school.Urn}/credits/statement?from=2026-13-01")).ProblemAsync(HttpStatusCode.BadRequest, "from");
        await (await client.GetAsync($"/api/v1/schools/{school.Urn}/credits/statement?from=2026-06-01&to=2026-05-01")).ProblemAsync(HttpStatusCode.BadRequest, "to");
        await (await client.GetAsync($"/api/v1/schools/{school.Urn}/credits/statement?from=2010-01-01&to=2026-01-01")).ProblemAsync(HttpStatusCode.BadRequest, "to");
        // From a day after today with no end date: the window would end before it starts.
        await (await client.GetAsync($"/api/v1/schools/{school.Urn}/credits/statement?from={Fixture.Clock.Today().AddDays(1):yyyy-MM-dd}")).ProblemAsync(HttpStatusCode.BadRequest, "from");
    }

    [Fact]
    public async Task Commissioners_edit_future_packages_only_and_running_subscriptions_keep_their_terms()
    {
        var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        var current = Period.Containing(PeriodBasis.FinancialYear, Fixture.Clock.Today()).Start.Year;
        var school = await Fixture.BuyerSchoolAsync();
        var subBefore = (await Fixture.ActiveSubscriptionAsync(school.Id))!;
        var body = new { annualFeePence = 1_600_00, perPupilPence = 6_50, creditsIncluded = 30, discountBasisPoints = 1_000, adviserSessions = 3, namedLinkAdviser = true, noticeDays = 90, maxTermYears = 2, purchasedCreditValidityMonths = 12 };

        var list = await (await commissioner.GetAsync("/api/v1/las/816/packages")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(9, list.GetArrayLength());

        var saved = await (await commissioner.PutAsJsonAsync($"/api/v1/las/816/packages/{current + 1}/silver", body)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1_600_00, saved.GetProperty("annualFeePence").GetInt64());
        Assert.True(saved.GetProperty("editable").GetBoolean());
        await (await commissioner.PutAsJsonAsync($"/api/v1/las/816/packages/{current + 2}/gold", body)).JsonAsync(HttpStatusCode.OK); // a new year
        await (await commissioner.PutAsJsonAsync($"/api/v1/las/816/packages/{current}/silver", body)).ProblemAsync(HttpStatusCode.Conflict);
        await (await commissioner.PutAsJsonAsync($"/api/v1/las/816/packages/{current + 1}/silver", new { perPupilPence = 1 })).ProblemAsync(HttpStatusCode.BadRequest, "input.annualFeePence", "input.creditsIncluded");
        await (await commissioner.PutAsJsonAsync($"/api/v1/las/816/packages/{current + 1}/diamond", body)).ProblemAsync(HttpStatusCode.BadRequest, "tier");

        var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        await (await buyer.PutAsJsonAsync($"/api/v1/las/816/packages/{current + 1}/silver", body)).ProblemAsync(HttpStatusCode.Forbidden);
        var northYorkshire = await TestUsers.ClientForNewAsync(Fixture, Roles.LaCommissioner, laCode: DemoAccounts.NorthYorkshireCode);
        await (await northYorkshire.PutAsJsonAsync($"/api/v1/las/816/packages/{current + 1}/silver", body)).ProblemAsync(HttpStatusCode.Forbidden);

        var subAfter = (await Fixture.ActiveSubscriptionAsync(school.Id))!;
        Assert.Equal((subBefore.FeePence, subBefore.CreditsIncluded), (subAfter.FeePence, subAfter.CreditsIncluded));
        var thisYear = await Fixture.DbAsync(db => db.TierPackages.SingleAsync(p => p.Id == subAfter.PackageId));
        Assert.Equal(1_500_00, thisYear.AnnualFeePence);
        Assert.Contains(await (await commissioner.GetAsync("/api/v1/las/816/audit")).JsonAsync(HttpStatusCode.OK) is var audit ? audit.EnumerateArray() : default,
            a => a.GetProperty("action").GetString() == "package.saved");
    }
}
