using System.Net;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Credits;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.Bookings;

/// <summary>
/// The "done when": in the seeded demo world a York school books a maths consultant day, the
/// provider confirms and delivers, the school signs off, and balances, earnings, the calendar and the
/// emails are right; and the seed itself shows school-to-school support earning credits.
/// </summary>
[Trait("Category", "DateSensitive")]
public class DemoWalkthroughTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task A_York_school_books_a_maths_consultant_day_through_to_sign_off()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.DbAsync(db => db.Offers.Where(o => o.Status == OfferStatus.Published
                && db.Providers.Any(p => p.Id == o.ProviderId && p.Name == "City of York Council School Improvement Team"))
            .Join(db.OfferVersions, o => o.PublishedVersionId, v => v.Id, (o, v) => new { o.Id, o.ProviderId, v.Title, v.SilverCredits })
            .Where(x => x.Title.StartsWith("Mathematics consultant day")).OrderBy(x => x.Title).FirstAsync());
        var mathsConsultant = await Fixture.DbAsync(db => db.Practitioners.Where(p => p.ProviderId == offer.ProviderId && p.Specialism.StartsWith("Mathematics"))
            .OrderBy(p => p.Specialism).Select(p => p.Id).FirstAsync());
        var balance = await Fixture.WalletBalanceAsync(school.Id);
        var revenue = await LaRevenueAsync(school.LocalAuthorityId);
        var date = Fixture.WorkingDay(8);
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);

        var booked = await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Id, quantity = 1, preferredDates = new[] { date.ToString("yyyy-MM-dd") },
            purchaseOrderNumber = "PO-7781", notes = "Year 5 reasoning" });
        var id = booked.GetProperty("id").GetGuid();
        var reference = booked.GetProperty("reference").GetString();
        Assert.Equal(balance - offer.SilverCredits!.Value, await Fixture.WalletBalanceAsync(school.Id));
        var toConfirm = await (await provider.GetAsync($"/api/v1/providers/{offer.ProviderId}/bookings")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(toConfirm.EnumerateArray(), b => b.GetProperty("id").GetGuid() == id && b.GetProperty("status").GetString() == "requested");

        await BookingApi.ConfirmAsync(provider, id, mathsConsultant, date);
        var calendar = await (await provider.GetAsync($"/api/v1/providers/{offer.ProviderId}/practitioners/{mathsConsultant}/calendar?from={date:yyyy-MM-dd}&to={date:yyyy-MM-dd}"))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("booked", reference), (calendar.GetProperty("days")[0].GetProperty("status").GetString(), calendar.GetProperty("days")[0].GetProperty("reference").GetString()));

        Fixture.SetToday(date);
        using var providerOnTheDay = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        await (await providerOnTheDay.PostJsonAsync($"/api/v1/bookings/{id}/deliver", new { dates = new[] { date.ToString("yyyy-MM-dd") }, quantity = 1, minutes = 390,
            note = "Lesson visits in years 4 to 6, book look and planning with the maths lead" })).JsonAsync(HttpStatusCode.OK);
        using var buyerOnTheDay = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        var signed = await (await buyerOnTheDay.PostJsonAsync($"/api/v1/bookings/{id}/sign-off")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("signedOff", signed.GetProperty("status").GetString());
        Assert.Equal(balance - offer.SilverCredits.Value, await Fixture.WalletBalanceAsync(school.Id));
        Assert.Equal(revenue + offer.SilverCredits.Value, await LaRevenueAsync(school.LocalAuthorityId)); // York's traded income
        var mail = await Fixture.DbAsync(db => db.OutboxMessages.Where(m => m.DedupeKey.Contains($":{id:N}:")).ToListAsync());
        Assert.Contains(mail, m => m.DedupeKey.StartsWith("booking-requested:") && m.Subject.Contains(reference!));
        Assert.Contains(mail, m => m.DedupeKey.StartsWith("booking-confirmed:") && m.AttachmentContentType!.StartsWith("text/calendar")
            && m.AttachmentContent!.Contains($"DTSTART;VALUE=DATE:{date:yyyyMMdd}"));
        Assert.Contains(mail, m => m.DedupeKey.StartsWith("booking-delivered:") && m.Subject.EndsWith("please sign off"));
    }

    [Fact]
    public async Task The_seeded_world_has_bookings_in_every_state_and_school_to_school_earnings()
    {
        var (hub, earned, states, disputes, absences) = await Fixture.DbAsync(async db =>
        {
            var ebor = await db.Providers.SingleAsync(p => p.Name == "Ebor Teaching School Alliance");
            var earnedCredits = await db.CreditGrants.Where(g => g.SchoolId == ebor.SchoolId && g.Source == CreditSource.Earned).SumAsync(g => g.Credits);
            var statuses = await db.Bookings.Select(b => b.Status).Distinct().ToListAsync();
            var open = await db.Bookings.CountAsync(b => b.Status == BookingStatus.Disputed);
            return (ebor.SchoolId!.Value, earnedCredits, statuses, open, await db.PractitionerAbsences.CountAsync());
        });

        Assert.True(earned > 0, "Ebor's hub school earned credits for the support it gave");
        Assert.True(await Fixture.WalletBalanceAsync(hub) >= earned);
        Assert.Superset(new HashSet<BookingStatus> { BookingStatus.Requested, BookingStatus.Confirmed, BookingStatus.Delivered, BookingStatus.Disputed, BookingStatus.SignedOff },
            states.ToHashSet());
        Assert.Equal(1, disputes);
        Assert.Equal(1, absences);
        using var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        Assert.Equal(1, (await (await commissioner.GetAsync("/api/v1/las/816/disputes")).JsonAsync(HttpStatusCode.OK)).GetArrayLength());
        await Ledger.AssertInvariantsAsync(Fixture);
    }

    private Task<long> LaRevenueAsync(Guid la) => Fixture.DbAsync(db => db.LedgerEntries.Where(e => db.LedgerAccounts.Any(a => a.Id == e.AccountId
        && a.Kind == LedgerAccountKind.LaRevenue && a.LocalAuthorityId == la)).SumAsync(e => e.Amount));
}
