using System.Net;
using System.Text.Json;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Catalogue;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.PlainWords;

/// <summary>
/// Item 5 of issue 11: no internal name reaches an email or a problem detail's message, and lists of
/// allowed values are in people's words; item 6: tier prices that rise with the tier are refused.
/// </summary>
[Trait("Category", "DateSensitive")]
public class PlainWordsTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public void The_scan_knows_the_enum_identifiers_it_looks_for()
    {
        Assert.Contains("HalfDay", EnumIdentifiers.All);
        Assert.Contains("earlyYears", EnumIdentifiers.All);
        Assert.Contains("AwaitingApproval", EnumIdentifiers.All);
        Assert.Equal(["halfDay"], EnumIdentifiers.In("Choose a unit from: day, halfDay, session"));
        Assert.Empty(EnumIdentifiers.In("Choose a unit from: day, half day, session (halfDayish)"));
    }

    [Fact]
    public async Task No_email_after_the_demo_world_and_a_booking_walkthrough_names_an_enum()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var (offer, _, practitioner) = await Fixture.DbAsync(async db =>
        {
            var ebor = await db.Providers.Where(p => p.Name == "Ebor Teaching School Alliance").Select(p => p.Id).SingleAsync();
            var o = await db.Offers.Where(o => o.Status == OfferStatus.Published && o.ProviderId == ebor)
                .Join(db.OfferVersions, o => o.PublishedVersionId, v => v.Id, (o, v) => new { o.Id, o.ProviderId, v.Unit, v.SilverCredits, v.Title })
                .Where(x => x.Unit == OfferUnit.HalfDay && x.SilverCredits != null).OrderBy(x => x.Title).FirstAsync();
            var p = await db.Practitioners.Where(p => p.ProviderId == o.ProviderId).OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
            return (o.Id, o.ProviderId, p);
        });
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        using var team = await Fixture.ClientFor(DemoAccounts.Ebor);
        await BookingApi.BuyCreditsAsync(buyer, school.Urn, 50);
        var date = Fixture.WorkingDay(8);
        var booked = await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer, quantity = 2, preferredDates = new[] { date.ToString("yyyy-MM-dd") } });
        await BookingApi.ConfirmAsync(team, booked.GetProperty("id").GetGuid(), practitioner, date);

        var mail = await Fixture.DbAsync(db => db.OutboxMessages.Select(m => new { m.DedupeKey, m.Subject, m.Body }).ToListAsync());

        Assert.Contains(mail, m => m.Body.Contains("2 × half day"));
        var leaks = mail.Select(m => (m.DedupeKey, Found: EnumIdentifiers.In(m.Subject + "\n" + m.Body))).Where(m => m.Found.Count > 0).ToList();
        Assert.True(leaks.Count == 0, "Emails naming enums:\n" + string.Join("\n", leaks.Take(20).Select(l => $"{l.DedupeKey}: {string.Join(", ", l.Found)}")));
    }

    public static TheoryData<string, string, string, object?> BadRequests => new()
    {
        { DemoAccounts.YorkBuyer, "GET", "/api/v1/offers?subject=astrology", null },
        { DemoAccounts.YorkBuyer, "GET", "/api/v1/offers?phase=college", null },
        { DemoAccounts.YorkBuyer, "GET", "/api/v1/offers?category=lunch", null },
        { DemoAccounts.YorkBuyer, "GET", "/api/v1/offers?tier=platinum", null },
        { DemoAccounts.YorkBuyer, "GET", "/api/v1/offers?providerKind=charity", null },
        { DemoAccounts.YorkBuyer, "GET", "/api/v1/providers?kind=charity", null },
        { DemoAccounts.YorkBuyer, "GET", "/api/v1/offers?page=abc", null },
        { DemoAccounts.YorkProviderTeam, "POST", "/api/v1/offers", Body("unit", "fortnight") },
        { DemoAccounts.YorkProviderTeam, "POST", "/api/v1/offers", Body("category", "lunch") },
        { DemoAccounts.YorkProviderTeam, "POST", "/api/v1/offers", Body("subject", "astrology") },
        { DemoAccounts.YorkProviderTeam, "POST", "/api/v1/offers", Body("phases", new[] { "college" }) },
        { DemoAccounts.YorkProviderTeam, "POST", "/api/v1/offers", Body("pricePence", "a lot") },
        { DemoAccounts.YorkProviderTeam, "POST", "/api/v1/offers", Body("goldCredits", 99) },
        { DemoAccounts.YorkCommissioner, "POST", "/api/v1/las/816/schools/{urn}/risk-flag", new { reasons = new[] { "badWeather" }, note = "x" } },
        { DemoAccounts.YorkCommissioner, "PUT", "/api/v1/las/816/subscription-policy", new { periodBasisOverride = "calendarYear", concern = new { payer = "parents" } } },
        { DemoAccounts.YorkCommissioner, "PUT", "/api/v1/las/816/schools/{urn}/subscription/payer", new { payer = "parents" } },
    };

    private static Dictionary<string, object?> Body(string field, object? value) => OfferBodies.With(field, value);

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_problem_answer_names_no_enum_and_lists_choices_in_plain_words(string user, string method, string path, object? body)
    {
        using var client = await Fixture.ClientFor(user);
        var school = await Fixture.BuyerSchoolAsync();
        var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{urn}", school.Urn.ToString()));
        if (body is not null) request.Content = System.Net.Http.Json.JsonContent.Create(body);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var words = new List<string> { problem.GetProperty("title").GetString()! };
        if (problem.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String) words.Add(detail.GetString()!);
        if (problem.TryGetProperty("errors", out var errors))
            foreach (var field in errors.EnumerateObject())
                words.AddRange(field.Value.EnumerateArray().Select(m => m.GetString()!));
        var text = string.Join("\n", words);
        Assert.True(EnumIdentifiers.In(text).Count == 0, $"{method} {path} answered with internal names: {text}");
    }

    [Fact]
    public async Task The_unit_error_lists_the_units_as_people_say_them_and_the_API_accepts_those_words()
    {
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);

        var refused = await (await provider.PostJsonAsync("/api/v1/offers", OfferBodies.With("unit", "fortnight"))).ProblemAsync(HttpStatusCode.BadRequest, "unit");
        var accepted = await provider.PostJsonAsync("/api/v1/offers", OfferBodies.With("unit", "half day"));

        Assert.Contains("Choose a unit from: day, half day, session, course place, term deployment", refused.ToString());
        Assert.Equal("halfDay", (await accepted.JsonAsync(HttpStatusCode.Created)).GetProperty("unit").GetString());
    }

    [Theory]
    [InlineData(8, 9, 7)]
    [InlineData(8, 7, 9)]
    [InlineData(null, 7, 9)]
    [InlineData(5, null, 6)]
    public async Task Tier_prices_that_rise_with_the_tier_are_refused(int? bronze, int? silver, int? gold)
    {
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var body = OfferBodies.Valid();
        (body["bronzeCredits"], body["silverCredits"], body["goldCredits"]) = (bronze, silver, gold);

        var problem = await (await provider.PostJsonAsync("/api/v1/offers", body)).ProblemAsync(HttpStatusCode.BadRequest, "tierPrices");

        Assert.Contains("Tier prices cannot rise with the tier", problem.ToString());
    }

    [Theory]
    [InlineData(8, 8, 8)]
    [InlineData(null, 7, 6)]
    [InlineData(9, null, 9)]
    public async Task Tier_prices_that_fall_or_stay_level_are_accepted(int? bronze, int? silver, int? gold)
    {
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var body = OfferBodies.Valid();
        (body["bronzeCredits"], body["silverCredits"], body["goldCredits"]) = (bronze, silver, gold);

        await (await provider.PostJsonAsync("/api/v1/offers", body)).JsonAsync(HttpStatusCode.Created);
    }
}
