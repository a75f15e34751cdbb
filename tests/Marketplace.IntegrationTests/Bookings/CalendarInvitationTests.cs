using System.Net;
using Ical.Net;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Mail;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.Bookings;

/// <summary>
/// The calendar invitation a school gets with a booking, read back with Ical.Net: one UID for the booking's
/// life, SEQUENCE rising when it moves, METHOD:CANCEL when it is cancelled, one VEVENT per date when the
/// dates are not consecutive.
/// </summary>
public class CalendarInvitationTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private const string Team = "City of York Council School Improvement Team";

    [Fact]
    public async Task A_booking_keeps_one_calendar_entry_through_its_move_and_cancellation()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        var practitioner = await Fixture.PractitionerOfAsync(Team, 2);
        // Two working days with a working day between them: never consecutive.
        var (d1, d2, moved) = (Fixture.WorkingDay(10), Fixture.WorkingDay(12), Fixture.WorkingDay(11));
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var booked = await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 2 });
        var id = booked.GetProperty("id").GetGuid();
        var reference = booked.GetProperty("reference").GetString();
        await BookingApi.ConfirmAsync(provider, id, practitioner, d2, d1);

        var confirmed = await InvitationAsync($"booking-confirmed:{id:N}");
        Assert.Equal("text/calendar; method=PUBLISH; charset=utf-8", confirmed.ContentType);
        Assert.Equal($"booking-{reference}.ics", confirmed.Name);
        Assert.Equal("PUBLISH", confirmed.Calendar.Method);
        // Not consecutive: one VEVENT per date, all under the booking's one UID (the later date is an instance of the first).
        Assert.Equal([(d1, d1.AddDays(1)), (d2, d2.AddDays(1))], confirmed.Calendar.Events.Select(e => (e.DtStart!.Date, e.DtEnd!.Date)).Order().ToArray());
        Assert.All(confirmed.Calendar.Events, e => Assert.Equal(($"{id:N}@marketplace", 0, "CONFIRMED", true), (e.Uid, e.Sequence, e.Status, e.IsAllDay)));
        Assert.Equal(d2, confirmed.Calendar.Events.Single(e => e.RecurrenceIdentifier is not null).RecurrenceIdentifier!.StartTime.Date);

        var proposed = await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/changes", new { dates = new[] { moved.ToString("yyyy-MM-dd") }, reason = "One day is enough" }))
            .JsonAsync(HttpStatusCode.OK);
        var changeId = proposed.GetProperty("changes")[0].GetProperty("id").GetGuid();
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/changes/{changeId}/accept")).JsonAsync(HttpStatusCode.OK);

        var update = await InvitationAsync($"booking-change-accepted:{id:N}");
        var single = Assert.Single(update.Calendar.Events);
        Assert.Equal(($"{id:N}@marketplace", 1, moved, moved.AddDays(1)), (single.Uid, single.Sequence, single.DtStart!.Date, single.DtEnd!.Date));

        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/cancel", new { reason = "Consultant unwell" })).JsonAsync(HttpStatusCode.OK);

        var cancellation = await InvitationAsync($"booking-cancelled:{id:N}");
        Assert.Equal("text/calendar; method=CANCEL; charset=utf-8", cancellation.ContentType);
        Assert.Equal("CANCEL", cancellation.Calendar.Method);
        var cancelled = Assert.Single(cancellation.Calendar.Events);
        Assert.Equal(($"{id:N}@marketplace", 2, "CANCELLED", moved), (cancelled.Uid, cancelled.Sequence, cancelled.Status, cancelled.DtStart!.Date));
        // The provider's copy of the cancellation carries no invitation: it never had one.
        Assert.True(await Fixture.DbAsync(db => db.OutboxMessages.AnyAsync(m => m.DedupeKey == $"booking-cancelled:{id:N}:{DemoAccounts.YorkProviderTeam}" && m.AttachmentName == null)));
    }

    [Fact]
    public void Consecutive_dates_are_one_event_across_them()
    {
        var first = new DateOnly(2027, 3, 1);
        var text = CalendarInvitation.Write(new CalendarInvitation.Entry("b@marketplace", 0, [first.AddDays(2), first, first.AddDays(1)], "Visit", "Booking", "School",
            "Provider", "no-reply@example.test", new DateTimeOffset(2027, 2, 1, 9, 0, 0, TimeSpan.Zero)));
        var e = Assert.Single(Calendar.Load(text)!.Events);
        Assert.Equal((first, first.AddDays(3), "mailto:no-reply@example.test", "Provider"), (e.DtStart!.Date, e.DtEnd!.Date, e.Organizer!.Value!.ToString(), e.Organizer.CommonName));
        Assert.Empty(e.RecurrenceDates.GetAllPeriods());
    }

    private async Task<(string Name, string ContentType, Calendar Calendar)> InvitationAsync(string keyPrefix)
    {
        var message = await Fixture.DbAsync(db => db.OutboxMessages.Where(m => m.DedupeKey.StartsWith(keyPrefix) && m.ToAddress == DemoAccounts.YorkBuyer).SingleAsync());
        Assert.NotNull(message.AttachmentContent);
        return (message.AttachmentName!, message.AttachmentContentType!, Calendar.Load(message.AttachmentContent)!);
    }
}
