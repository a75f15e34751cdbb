using Marketplace.Application.Common;
using System.Net;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Bookings;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.Bookings;

/// <summary>The daily job reminds both sides two working days before the booked date, once, and again if the booking moves.</summary>
[Trait("Category", "DateSensitive")]
public class ReminderTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task A_reminder_goes_two_working_days_before_once_and_again_after_a_move()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        var practitioner = await Fixture.PractitionerOfAsync("City of York Council School Improvement Team", 10);
        // Reminders count working days, not term days: the offer runs in the holidays too, so the dates are plain working days on any clock.
        await Fixture.DeliverInSchoolHolidaysAsync(offer.Offer);
        var date = WorkingDays.Add(Fixture.Clock.Today(), 6);
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var id = (await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 1 })).GetProperty("id").GetGuid();
        using (var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam))
            await BookingApi.ConfirmAsync(provider, id, practitioner, date);
        Task<List<string>> RemindersAsync() => Fixture.DbAsync(db => db.OutboxMessages.Where(m => m.DedupeKey.StartsWith($"booking-reminder:{id:N}")).Select(m => m.DedupeKey).ToListAsync());

        Fixture.SetToday(WorkingDays.Add(Fixture.Clock.Today(), 3)); // three working days before: not yet
        await Fixture.RunBookingJobAsync();
        Assert.Empty(await RemindersAsync());

        Fixture.SetToday(WorkingDays.Add(Fixture.Clock.Today(), 1)); // two working days before
        await Fixture.RunBookingJobAsync();
        await Fixture.RunBookingJobAsync();
        var first = await RemindersAsync();
        Assert.Contains(first, k => k.EndsWith(":" + DemoAccounts.YorkBuyer));
        Assert.Contains(first, k => k.EndsWith(":" + DemoAccounts.YorkProviderTeam));
        Assert.Equal(first.Count, first.Distinct().Count());
        var mail = await Fixture.DbAsync(db => db.OutboxMessages.FirstAsync(m => m.DedupeKey.StartsWith($"booking-reminder:{id:N}") && m.ToAddress == DemoAccounts.YorkBuyer));
        Assert.StartsWith("Reminder:", mail.Subject);

        // Moved by three working days: reminded again two working days before the new date.
        var moved = WorkingDays.Add(date, 3);
        using var provider2 = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var proposed = await (await provider2.PostJsonAsync($"/api/v1/bookings/{id}/changes", new { dates = new[] { moved.ToString("yyyy-MM-dd") }, reason = "Consultant ill" }))
            .JsonAsync(HttpStatusCode.OK);
        var changeId = proposed.GetProperty("changes").EnumerateArray().Single().GetProperty("id").GetGuid();
        using var buyer2 = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        await (await buyer2.PostJsonAsync($"/api/v1/bookings/{id}/changes/{changeId}/accept")).JsonAsync(HttpStatusCode.OK);
        Fixture.SetToday(WorkingDays.Add(Fixture.Clock.Today(), 3));
        await Fixture.RunBookingJobAsync();

        Assert.Equal(2 * first.Count, (await RemindersAsync()).Count);
    }
}
