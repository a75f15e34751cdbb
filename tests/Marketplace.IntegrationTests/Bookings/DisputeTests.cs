using System.Net;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Credits;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.Bookings;

/// <summary>Disputed deliveries are resolved by the school's LA's commissioners: what they charge is captured, the rest released.</summary>
[Trait("Category", "DateSensitive")]
public class DisputeTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private async Task<(Guid Id, int Silver, long BalanceBefore)> DisputedAsync(int quantity, int delivered)
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        await BookingApi.BuyCreditsAsync(buyer, school.Urn, quantity * offer.Silver);
        var before = await Fixture.WalletBalanceAsync(school.Id);
        var id = (await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity })).GetProperty("id").GetGuid();
        var date = Fixture.WorkingDay(4);
        using (var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam))
            await BookingApi.ConfirmAsync(provider, id, await Fixture.PractitionerOfAsync("City of York Council School Improvement Team", 8), date);
        Fixture.SetToday(date);
        using (var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam))
            await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/deliver", new { dates = new[] { date.ToString("yyyy-MM-dd") }, quantity = delivered, minutes = 300, note = "Visit" }))
                .JsonAsync(HttpStatusCode.OK);
        using var buyer2 = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        await (await buyer2.PostJsonAsync($"/api/v1/bookings/{id}/dispute", new { reason = "The consultant did not see the classes we asked for" })).JsonAsync(HttpStatusCode.OK);
        return (id, offer.Silver, before);
    }

    [Fact]
    public async Task Commissioners_resolve_a_dispute_by_charging_part_and_releasing_the_rest()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var (id, silver, before) = await DisputedAsync(3, 2);
        var revenue = await Fixture.DbAsync(db => db.LedgerEntries.Where(e => db.LedgerAccounts.Any(a => a.Id == e.AccountId && a.Kind == LedgerAccountKind.LaRevenue
            && a.LocalAuthorityId == school.LocalAuthorityId)).SumAsync(e => e.Amount));
        using var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        using var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        Assert.True(await Fixture.DbAsync(db => db.OutboxMessages.AnyAsync(m => m.DedupeKey.StartsWith($"booking-disputed:{id:N}") && m.Subject.StartsWith("Dispute to resolve"))));

        var list = await (await commissioner.GetAsync("/api/v1/las/816/disputes")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(list.EnumerateArray(), d => d.GetProperty("id").GetGuid() == id && d.GetProperty("status").GetString() == "disputed");
        await (await buyer.GetAsync("/api/v1/las/816/disputes")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/resolve", new { chargedQuantity = 2, note = "Mine" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/resolve", new { chargedQuantity = 0, note = "Mine" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await commissioner.PostJsonAsync($"/api/v1/bookings/{id}/resolve", new { })).ProblemAsync(HttpStatusCode.BadRequest, "chargedQuantity", "note");
        await (await commissioner.PostJsonAsync($"/api/v1/bookings/{id}/resolve", new { chargedQuantity = 3, note = "All of it" })).ProblemAsync(HttpStatusCode.Conflict); // only 2 delivered

        var resolved = await (await commissioner.PostJsonAsync($"/api/v1/bookings/{id}/resolve",
            new { chargedQuantity = 1, note = "One day was delivered as agreed; the second did not cover what was asked" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        Assert.Equal(silver, resolved.GetProperty("capturedCredits").GetInt32());
        Assert.Equal(0, resolved.GetProperty("creditsHeld").GetInt64());
        Assert.Equal(before - silver, await Fixture.WalletBalanceAsync(school.Id));
        Assert.Equal(revenue + silver, await Fixture.DbAsync(db => db.LedgerEntries.Where(e => db.LedgerAccounts.Any(a => a.Id == e.AccountId
            && a.Kind == LedgerAccountKind.LaRevenue && a.LocalAuthorityId == school.LocalAuthorityId)).SumAsync(e => e.Amount)));
        var told = await Fixture.DbAsync(db => db.OutboxMessages.Where(m => m.DedupeKey.StartsWith($"booking-resolved:{id:N}:")).Select(m => m.ToAddress).ToListAsync());
        Assert.Contains(DemoAccounts.YorkBuyer, told);
        Assert.Contains(DemoAccounts.YorkProviderTeam, told);
        await (await commissioner.PostJsonAsync($"/api/v1/bookings/{id}/resolve", new { chargedQuantity = 0, note = "Again" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await buyer.PostJsonAsync($"/api/v1/bookings/{id}/sign-off")).ProblemAsync(HttpStatusCode.Conflict);
        var after = await (await commissioner.GetAsync("/api/v1/las/816/disputes")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(after.EnumerateArray(), d => d.GetProperty("id").GetGuid() == id && d.GetProperty("chargedQuantity").GetInt32() == 1);
    }

    [Fact]
    public async Task Charging_nothing_returns_every_held_credit()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var (id, _, before) = await DisputedAsync(1, 1);
        using var commissioner = await Fixture.ClientFor(DemoAccounts.YorkCommissioner);

        var resolved = await (await commissioner.PostJsonAsync($"/api/v1/bookings/{id}/resolve", new { chargedQuantity = 0, note = "No evidence the visit took place" }))
            .JsonAsync(HttpStatusCode.OK);

        Assert.Equal(0, resolved.GetProperty("capturedCredits").GetInt32());
        Assert.Equal(before, await Fixture.WalletBalanceAsync(school.Id));
    }
}
