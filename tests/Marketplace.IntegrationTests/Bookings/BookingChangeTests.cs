using Marketplace.Domain.Bookings;
using System.Net;
using System.Text.Json;
using Marketplace.Application.DemoWorld;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.Bookings;

/// <summary>Proposed changes of date by either side, their answers and history, and the 48-hour rule with the provider's waiver.</summary>
[Trait("Category", "DateSensitive")]
public class BookingChangeTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private const string Team = "City of York Council School Improvement Team";

    private async Task<Guid> ConfirmedAsync(Guid practitioner, DateOnly date)
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var id = (await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 1 })).GetProperty("id").GetGuid();
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        await BookingApi.ConfirmAsync(provider, id, practitioner, date);
        return id;
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd");

    private static JsonElement Pending(JsonElement booking) => booking.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("status").GetString() == "pending");

    [Fact]
    public async Task The_school_proposes_a_new_date_and_the_provider_accepts_it_moving_the_practitioner()
    {
        var practitioner = await Fixture.PractitionerOfAsync(Team, 2);
        var (d1, d2) = (Fixture.WorkingDay(10), Fixture.WorkingDay(11));
        var id = await ConfirmedAsync(practitioner, d1);
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        using var ebor = await Fixture.ClientFor(DemoAccounts.Ebor);

        await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/changes", new { dates = new[] { Day(d2) } })).ProblemAsync(HttpStatusCode.BadRequest, "reason");
        var proposed = await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/changes", new { dates = new[] { Day(d2) }, reason = "Year 6 trip moved to that day" }))
            .JsonAsync(HttpStatusCode.OK);
        var change = Pending(proposed);
        Assert.Equal(("school", false), (change.GetProperty("proposedBy").GetString(), change.GetProperty("late").GetBoolean()));
        var changeId = change.GetProperty("id").GetGuid();
        await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/changes", new { dates = new[] { Day(d2) }, reason = "again" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/changes/{changeId}/accept")).ProblemAsync(HttpStatusCode.Conflict);
        await (await ebor.PostJsonAsync($"/api/v1/bookings/{id}/changes/{changeId}/accept")).ProblemAsync(HttpStatusCode.NotFound);
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/changes/{Guid.NewGuid()}/accept")).ProblemAsync(HttpStatusCode.NotFound);

        var accepted = await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/changes/{changeId}/accept")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal([Day(d2)], accepted.GetProperty("confirmedDates").EnumerateArray().Select(d => d.GetString()!).ToArray());
        Assert.Equal("accepted", accepted.GetProperty("changes")[0].GetProperty("status").GetString());
        Assert.Equal(["requested", "confirmed", "changeProposed", "changeAccepted"],
            accepted.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToArray());
        var slots = await Fixture.DbAsync(db => db.BookingSlots.Where(s => s.BookingId == id).Select(s => s.Date).ToListAsync());
        Assert.Equal([d2], slots);
        // The old day is free again for the practitioner.
        await ConfirmedAsync(practitioner, d1);
        var mail = await Fixture.DbAsync(db => db.OutboxMessages.Where(m => m.DedupeKey.StartsWith($"booking-change-accepted:{id:N}")).ToListAsync());
        Assert.Contains(mail, m => m.AttachmentName == $"booking-{accepted.GetProperty("reference").GetString()}.ics" && m.AttachmentContent!.Contains("DTSTART;VALUE=DATE:" + d2.ToString("yyyyMMdd")));
        Assert.True(await Fixture.DbAsync(db => db.OutboxMessages.AnyAsync(m => m.DedupeKey.StartsWith($"booking-change-proposed:{id:N}"))));
    }

    [Fact]
    public async Task A_change_onto_a_day_the_practitioner_is_booked_is_refused_and_nothing_moves()
    {
        var practitioner = await Fixture.PractitionerOfAsync(Team, 3);
        var (d1, d2) = (Fixture.WorkingDay(12), Fixture.WorkingDay(13));
        var id = await ConfirmedAsync(practitioner, d1);
        await ConfirmedAsync(practitioner, d2);
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var proposed = await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/changes", new { dates = new[] { Day(d2) }, reason = "Consultant needed elsewhere" }))
            .JsonAsync(HttpStatusCode.OK);
        var changeId = Pending(proposed).GetProperty("id").GetGuid();

        var refused = await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/changes/{changeId}/accept")).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("booking.double-booked", refused.GetProperty("code").GetString());
        var after = await BookingApi.GetAsync(buyer, id);
        Assert.Equal([Day(d1)], after.GetProperty("confirmedDates").EnumerateArray().Select(d => d.GetString()!).ToArray());
        Assert.Equal("pending", after.GetProperty("changes")[0].GetProperty("status").GetString());
        Assert.Equal([d1], await Fixture.DbAsync(db => db.BookingSlots.Where(s => s.BookingId == id).Select(s => s.Date).ToListAsync()));

        await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/changes/{changeId}/withdraw")).ProblemAsync(HttpStatusCode.Conflict); // not the school's to withdraw
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/changes/{changeId}/withdraw")).JsonAsync(HttpStatusCode.OK);
        var rejectable = await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/changes", new { dates = new[] { Day(Fixture.WorkingDay(14)) }, reason = "Another try" }))
            .JsonAsync(HttpStatusCode.OK);
        var rejected = await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/changes/{Pending(rejectable).GetProperty("id").GetGuid()}/reject", new { note = "We need that day" }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["withdrawn", "rejected"], rejected.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("status").GetString()!).ToArray());
        Assert.Equal([Day(d1)], rejected.GetProperty("confirmedDates").EnumerateArray().Select(d => d.GetString()!).ToArray());
    }

    [Fact]
    public async Task A_request_not_yet_confirmed_cannot_be_changed()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var id = (await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 1 })).GetProperty("id").GetGuid();

        await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/changes", new { dates = new[] { Day(Fixture.WorkingDay(8)) }, reason = "Clash" }))
            .ProblemAsync(HttpStatusCode.Conflict);
        await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/waive-48-hour-rule")).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Within_48_hours_a_school_cancellation_counts_as_delivered_unless_the_provider_waived_the_rule()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        var (p1, p2) = (await Fixture.PractitionerOfAsync(Team, 4), await Fixture.PractitionerOfAsync(Team, 5));
        var date = Fixture.WorkingDay(10);
        var strict = await ConfirmedAsync(p1, date);
        var waived = await ConfirmedAsync(p2, date);
        using (var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam))
        {
            var w = await (await provider.PostJsonAsync($"/api/v1/bookings/{waived}/waive-48-hour-rule", new { note = "Snow forecast" })).JsonAsync(HttpStatusCode.OK);
            Assert.True(w.GetProperty("lateRuleWaived").GetBoolean());
            await (await provider.PostJsonAsync($"/api/v1/bookings/{waived}/waive-48-hour-rule")).ProblemAsync(HttpStatusCode.Conflict);
        }
        Fixture.SetToday(date.AddDays(-1)); // noon the day before: 21 hours to go
        var balance = await Fixture.WalletBalanceAsync(school.Id);
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);

        var full = await (await buyer.PostJsonAsync($"/api/v1/bookings/{strict}/cancel", new { })).JsonAsync(HttpStatusCode.OK);
        var half = await (await buyer.PostJsonAsync($"/api/v1/bookings/{waived}/cancel", new { })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(offer.Silver, full.GetProperty("capturedCredits").GetInt32());
        Assert.Equal((int)Math.Ceiling(offer.Silver / 2m), half.GetProperty("capturedCredits").GetInt32());
        Assert.Equal(balance + offer.Silver - (int)Math.Ceiling(offer.Silver / 2m), await Fixture.WalletBalanceAsync(school.Id));
    }

    [Fact]
    public async Task A_late_change_by_the_school_goes_through_only_when_the_provider_accepts_it_which_waives_the_rule()
    {
        var practitioner = await Fixture.PractitionerOfAsync(Team, 6);
        var date = Fixture.WorkingDay(10);
        var id = await ConfirmedAsync(practitioner, date);
        Fixture.SetToday(date.AddDays(-1));
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var later = BookingApi.TermDayAfter(date, 3);

        var proposed = await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/changes", new { dates = new[] { Day(later) }, reason = "Head off sick" })).JsonAsync(HttpStatusCode.OK);
        Assert.True(Pending(proposed).GetProperty("late").GetBoolean());
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var accepted = await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/changes/{Pending(proposed).GetProperty("id").GetGuid()}/accept")).JsonAsync(HttpStatusCode.OK);

        Assert.True(accepted.GetProperty("lateRuleWaived").GetBoolean());
        Assert.Equal([Day(later)], accepted.GetProperty("confirmedDates").EnumerateArray().Select(d => d.GetString()!).ToArray());
    }
}
