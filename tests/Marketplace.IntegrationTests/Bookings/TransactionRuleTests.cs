using System.Net;
using Marketplace.Application.Common;
using Marketplace.Application.Credits;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Features.Bookings;
using Marketplace.Application.Identity;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Credits;
using Marketplace.IntegrationTests.Infrastructure;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Marketplace.IntegrationTests.Bookings;

/// <summary>
/// The transaction rule for commands (ADR 0013): a command's writes commit together or not at all, and
/// a batch command's items commit one by one.
/// </summary>
[Trait("Category", "DateSensitive")]
public class TransactionRuleTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private async Task GrantAsync(Guid schoolId, Guid laId, int credits)
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CreditLedger>().GrantAsync(new CreditLedger.GrantRequest($"arrange:{schoolId:N}", LedgerTransactionKind.Purchase,
            schoolId, laId, CreditSource.Purchased, credits, Fixture.Clock.Today().AddMonths(12), 50_00, "Arranged credits"));
    }

    [Fact]
    public async Task A_booking_whose_hold_is_refused_after_the_booking_was_saved_leaves_no_booking_and_no_email()
    {
        var school = await Fixture.YorkSchoolAsync(tier: null); // no subscription: 100 days at the list price are more than its wallet holds
        var offer = await Fixture.YorkTeamDayAsync();
        var buyer = await TestUsers.ClientForNewAsync(Fixture, Roles.SchoolBuyer, urn: school.Urn);
        var emailsBefore = await Fixture.DbAsync(db => db.OutboxMessages.CountAsync());

        // RequestBooking saves the booking and the provider's email, then asks the ledger to hold the credits.
        var refused = await BookingApi.RequestAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 100 });

        Assert.Equal("insufficient-credits", (await refused.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal(0, await Fixture.DbAsync(db => db.Bookings.CountAsync(b => b.SchoolId == school.Id)));
        Assert.Equal(0, await Fixture.DbAsync(db => db.BookingEvents.CountAsync(e => db.Bookings.Any(b => b.Id == e.BookingId && b.SchoolId == school.Id))));
        Assert.Equal(emailsBefore, await Fixture.DbAsync(db => db.OutboxMessages.CountAsync()));

        // The same request with credits to cover it writes the booking and its email: what the refusal rolled back.
        await GrantAsync(school.Id, school.LocalAuthorityId, 100_000);
        var id = (await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 100 })).GetProperty("id").GetGuid();
        Assert.Equal(id, await Fixture.DbAsync(db => db.Bookings.Where(b => b.SchoolId == school.Id).Select(b => b.Id).SingleAsync()));
        Assert.True(await Fixture.DbAsync(db => db.OutboxMessages.CountAsync(m => m.DedupeKey.StartsWith($"booking-requested:{id:N}"))) >= 1);
    }

    [Fact]
    public async Task One_failing_item_of_the_auto_sign_off_run_keeps_its_own_writes_out_and_leaves_the_items_before_it_settled()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var offer = await Fixture.YorkTeamDayAsync();
        var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        await BookingApi.BuyCreditsAsync(buyer, school.Urn, 2 * offer.Silver);
        var first = (await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 1 })).GetProperty("id").GetGuid();
        var second = (await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer.Offer, quantity = 1 })).GetProperty("id").GetGuid();
        var day1 = Fixture.WorkingDay(3);
        var day2 = BookingApi.TermDayAfter(day1, 1);
        var provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        await BookingApi.ConfirmAsync(provider, first, offer.Practitioner, day1);
        await BookingApi.ConfirmAsync(provider, second, offer.Practitioner, day2);
        foreach (var (id, day) in new[] { (first, day1), (second, day2) })
        {
            Fixture.SetToday(day);
            provider = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
            await (await provider.PostJsonAsync($"/api/v1/bookings/{id}/deliver", new { dates = new[] { day.ToString("yyyy-MM-dd") }, quantity = 1, minutes = 180, note = "Done" }))
                .JsonAsync(HttpStatusCode.OK);
        }
        var secondReference = await Fixture.DbAsync(db => db.Bookings.Where(b => b.Id == second).Select(b => b.Reference).SingleAsync());
        var secondEvents = await Fixture.DbAsync(db => db.BookingEvents.CountAsync(e => e.BookingId == second));
        Fixture.SetToday(WorkingDays.Add(day2, 10));

        // The second booking's settlement fails inside the ledger, after its sign-off was saved in the same transaction.
        await OwnerSqlAsync($"""
            CREATE FUNCTION test_refuse_settlement() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'settlement refused for the test'; END $$;
            CREATE TRIGGER test_refuse_settlement BEFORE INSERT ON ledger_transactions FOR EACH ROW
            WHEN (NEW.reference = '{secondReference}') EXECUTE FUNCTION test_refuse_settlement();
            """);
        try
        {
            var failure = await Assert.ThrowsAsync<PostgresException>(() => SignOffRunAsync());
            Assert.Equal("P0001", failure.SqlState);
        }
        finally
        {
            await OwnerSqlAsync("DROP TRIGGER test_refuse_settlement ON ledger_transactions; DROP FUNCTION test_refuse_settlement();");
        }

        var bookings = await Fixture.DbAsync(db => db.Bookings.Where(b => b.Id == first || b.Id == second).ToDictionaryAsync(b => b.Id, b => b.Status));
        Assert.Equal(BookingStatus.SignedOff, bookings[first]);
        Assert.Equal(1, await Fixture.DbAsync(db => db.LedgerTransactions.CountAsync(t => t.IdempotencyKey == $"capture:{first:N}")));
        Assert.Equal(BookingStatus.Delivered, bookings[second]);
        Assert.Equal(secondEvents, await Fixture.DbAsync(db => db.BookingEvents.CountAsync(e => e.BookingId == second)));
        Assert.Equal(0, await Fixture.DbAsync(db => db.LedgerTransactions.CountAsync(t => t.IdempotencyKey == $"capture:{second:N}" || t.IdempotencyKey == $"release:{second:N}")));

        // The next run settles what is left, and only that.
        Assert.Equal(1, await SignOffRunAsync());
        Assert.Equal(BookingStatus.SignedOff, await Fixture.DbAsync(db => db.Bookings.Where(b => b.Id == second).Select(b => b.Status).SingleAsync()));
        Assert.Equal(1, await Fixture.DbAsync(db => db.LedgerTransactions.CountAsync(t => t.IdempotencyKey == $"capture:{first:N}")));
    }

    private async Task<int> SignOffRunAsync()
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SignOffUnansweredDeliveries.Command());
    }

    private async Task OwnerSqlAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(Fixture.OwnerConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
