using System.Globalization;
using Hangfire;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.DemoWorld;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Marketplace.IntegrationTests.Browser;

/// <summary>
/// Each role lands on the home page and sees what waits for it, counted as the database holds it (worked out here
/// from the demo world, not hard-coded), with a link to where the work is done; visitors see the catalogue's front door.
/// </summary>
[Trait("Category", "DateSensitive")]
public class HomeBrowserTests(MarketplaceFixture fixture) : BrowserTest(fixture)
{
    private static string N(long n) => n.ToString("N0", CultureInfo.GetCultureInfo("en-GB"));

    [Fact]
    public async Task A_visitor_sees_the_front_door_and_no_work()
    {
        await Page.GotoAsync("/");

        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Find and buy school improvement services");
        await Assertions.Expect(Page.Locator(".govuk-summary-card")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.GetByText("Your work")).ToHaveCountAsync(0);
        await AssertAccessibleAsync();
    }

    [Fact]
    public async Task A_school_buyer_lands_on_its_work_and_follows_a_link_to_its_bookings()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var today = UkClock.DateOf(Fixture.Clock.GetUtcNow());
        var expected = await Fixture.DbAsync(async db => new
        {
            SignOff = await db.Bookings.CountAsync(b => b.SchoolId == school.Id && b.Status == BookingStatus.Delivered),
            Awaiting = await db.Bookings.CountAsync(b => b.SchoolId == school.Id && b.Status == BookingStatus.Requested),
            Renewal = await db.RenewalProposals.CountAsync(p => p.Status == RenewalStatus.Open && db.Subscriptions.Any(s => s.Id == p.SubscriptionId
                && s.SchoolId == school.Id && s.Status == SubscriptionStatus.Active && s.StartsOn <= today && s.PeriodEnd >= today)),
            Expiring = await db.CreditGrants.Where(g => g.SchoolId == school.Id && g.ExpiresOn >= today && g.ExpiresOn <= today.AddDays(60))
                .SumAsync(g => (long)g.Remaining),
            Balance = await db.CreditGrants.Where(g => g.SchoolId == school.Id && g.ExpiresOn >= today).SumAsync(g => (long)g.Remaining),
            FirstRequested = await db.Bookings.Where(b => b.SchoolId == school.Id && b.Status == BookingStatus.Requested)
                .OrderBy(b => b.RequestedAt).Select(b => b.Reference).FirstOrDefaultAsync(),
        });
        Assert.True(expected.Awaiting > 0 && expected.Balance > 0, "The demo world gives the buyer a request awaiting its provider and credits.");

        await SignInAsync(DemoAccounts.YorkBuyer);

        Assert.Equal("/", new Uri(Page.Url).AbsolutePath);
        await Assertions.Expect(Page.GetByText("sign in", new() { Exact = false })).ToHaveCountAsync(0);
        await ExpectCountAsync("work-to-sign-off", N(expected.SignOff));
        await ExpectCountAsync("work-awaiting-provider", N(expected.Awaiting));
        await ExpectCountAsync("work-renewal", N(expected.Renewal));
        await ExpectCountAsync("work-expiring", N(expected.Expiring));
        await ExpectCountAsync("work-balance", N(expected.Balance));
        await Assertions.Expect(Page.Locator("#work-awaiting-provider li").First).ToContainTextAsync(expected.FirstRequested!);
        await AssertAccessibleAsync();

        await FollowAsync("work-awaiting-provider", "/school/bookings");
        await FollowBackAsync("work-renewal", "/school/subscription");
        await FollowBackAsync("work-balance", "/school/credits");
    }

    [Fact]
    public async Task A_provider_lands_on_its_work_with_a_delivery_to_record_once_its_date_has_come()
    {
        var providerId = await Fixture.DbAsync(db => db.Users.Where(u => u.Email == DemoAccounts.YorkProviderTeam).Select(u => u.ProviderId!.Value).SingleAsync());
        // Move to the first confirmed date of the provider's bookings, so one of them has a delivery to record.
        var firstDate = await Fixture.DbAsync(async db => (await db.Bookings.Where(b => b.ProviderId == providerId && b.Status == BookingStatus.Confirmed)
            .Select(b => b.ConfirmedDates).ToListAsync()).SelectMany(d => d).Min());
        Fixture.SetToday(firstDate);
        var today = firstDate;
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var expected = await Fixture.DbAsync(async db =>
        {
            var mine = await db.Bookings.AsNoTracking().Include(b => b.Changes).Where(b => b.ProviderId == providerId).ToListAsync();
            return new
            {
                Confirm = mine.Count(b => b.Status == BookingStatus.Requested),
                Record = mine.Count(b => b.Status == BookingStatus.Confirmed && b.ConfirmedDates.Any(d => d <= today)),
                Changes = mine.Count(b => b.Status is BookingStatus.Requested or BookingStatus.Confirmed
                    && b.Changes.Any(c => c.Status == BookingChangeStatus.Pending && c.ProposedBy == BookingSide.School)),
                Month = mine.Count(b => b.Status == BookingStatus.Confirmed && b.ConfirmedDates.Any(d => d >= monthStart && d < monthStart.AddMonths(1))),
            };
        });
        Assert.True(expected.Confirm > 0 && expected.Record > 0, "The demo world gives the York team a request, and a confirmed booking whose date is today.");

        await SignInAsync(DemoAccounts.YorkProviderTeam);

        Assert.Equal("/", new Uri(Page.Url).AbsolutePath);
        await ExpectCountAsync("work-to-confirm", N(expected.Confirm));
        await ExpectCountAsync("work-to-record", N(expected.Record));
        await ExpectCountAsync("work-changes", N(expected.Changes));
        await ExpectCountAsync("work-this-month", N(expected.Month));
        await AssertAccessibleAsync();

        // An entry links straight to the booking where its delivery is recorded.
        await Page.Locator("#work-to-record li a").First.ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/provider/bookings/[0-9a-f-]{36}$"));
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Record delivery" })).ToBeVisibleAsync();
        await Page.GotoAsync("/");
        await FollowAsync("work-to-confirm", "/provider/bookings");
    }

    [Fact]
    public async Task A_commissioner_lands_on_its_work_and_follows_a_link_to_its_disputes()
    {
        var today = UkClock.DateOf(Fixture.Clock.GetUtcNow());
        var expected = await Fixture.DbAsync(async db =>
        {
            var la = await db.LocalAuthorities.Where(l => l.Code == DemoAccounts.YorkCode).Select(l => l.Id).SingleAsync();
            var schools = await db.Schools.AsNoTracking().Where(s => s.LocalAuthorityId == la).ToListAsync();
            var flagged = await db.RiskFlags.Where(f => f.ClearedAt == null).Select(f => f.SchoolId).ToListAsync();
            var enrolled = await db.ConcernEnrolments.Where(e => e.LocalAuthorityId == la
                && (e.Status == EnrolmentStatus.Active || e.Status == EnrolmentStatus.Exiting || e.Status == EnrolmentStatus.Overridden)).Select(e => e.SchoolId).ToListAsync();
            var current = await db.Subscriptions.AsNoTracking()
                .Where(s => s.LocalAuthorityId == la && s.Status == SubscriptionStatus.Active && s.StartsOn <= today && s.PeriodEnd >= today).ToListAsync();
            var open = await db.RenewalProposals.Where(p => p.Status == RenewalStatus.Open).Select(p => p.SubscriptionId).ToListAsync();
            return new
            {
                Approvals = await db.Offers.CountAsync(o => o.Status == OfferStatus.AwaitingApproval && db.Providers.Any(p => p.Id == o.ProviderId && p.LocalAuthorityId == la)),
                Disputes = await db.Bookings.CountAsync(b => b.SellerLaId == la && b.Status == BookingStatus.Disputed),
                Concern = schools.Count(s => (s.OfstedGrade is OfstedGrade.RequiresImprovement or OfstedGrade.Inadequate || flagged.Contains(s.Id)) && !enrolled.Contains(s.Id)),
                Renewals = current.Count(s => s.EndsOn == null && open.Contains(s.Id)),
                BuyBack = Math.Round(100m * current.Select(s => s.SchoolId).Distinct().Count() / schools.Count, 1),
            };
        });
        Assert.True(expected.Disputes > 0, "The demo world has a disputed York booking.");

        await SignInAsync(DemoAccounts.YorkCommissioner);

        Assert.Equal("/", new Uri(Page.Url).AbsolutePath);
        await ExpectCountAsync("work-approvals", N(expected.Approvals));
        await ExpectCountAsync("work-disputes", N(expected.Disputes));
        await ExpectCountAsync("work-concern", N(expected.Concern));
        await ExpectCountAsync("work-renewals", N(expected.Renewals));
        await ExpectCountAsync("work-buy-back", expected.BuyBack.ToString("0.0", CultureInfo.GetCultureInfo("en-GB")) + "%");
        await AssertAccessibleAsync();

        await FollowAsync("work-disputes", "/la/disputes");
        await FollowBackAsync("work-approvals", "/la/approvals");
        await FollowBackAsync("work-concern", "/la/concern");
        await FollowBackAsync("work-renewals", "/la/subscriptions");
    }

    [Fact]
    public async Task A_platform_admin_lands_on_failed_mail_and_jobs()
    {
        await using (var scope = Fixture.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
            var message = new OutboxMessage(Guid.NewGuid(), "home-test-" + Guid.NewGuid().ToString("N"), "head@school.example", "Head Teacher",
                "Not sent", "Hello.", Fixture.Clock.GetUtcNow());
            for (var i = 0; i < OutboxMessage.MaxAttempts; i++) message.MarkFailed("The mail server refused the connection.", Fixture.Clock.GetUtcNow());
            db.OutboxMessages.Add(message);
            await db.SaveChangesAsync();
        }
        var mail = await Fixture.DbAsync(db => db.OutboxMessages.CountAsync(m => m.SentAt == null && m.Attempts > 0));
        var jobs = Fixture.App.Services.GetRequiredService<JobStorage>().GetMonitoringApi().FailedCount();
        Assert.True(mail > 0);

        await SignInAsync(DemoAccounts.Admin);

        Assert.Equal("/", new Uri(Page.Url).AbsolutePath);
        await ExpectCountAsync("work-mail", N(mail));
        await ExpectCountAsync("work-jobs", N(jobs));
        await AssertAccessibleAsync();

        await FollowAsync("work-mail", "/admin/mail");
        await Assertions.Expect(Page.Locator("#undelivered-mail")).ToContainTextAsync("Not sent");
        await Page.GotoAsync("/");
        await Assertions.Expect(Page.Locator("#work-jobs [data-work-link]")).ToHaveAttributeAsync("href", "/admin/jobs");
    }

    private Task ExpectCountAsync(string card, string count) =>
        Assertions.Expect(Page.Locator($"#{card} [data-count]")).ToHaveTextAsync(count);

    private async Task FollowAsync(string card, string path)
    {
        await Page.Locator($"#{card} [data-work-link]").ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(path) + "$"));
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
    }

    private async Task FollowBackAsync(string card, string path)
    {
        await Page.GotoAsync("/");
        await FollowAsync(card, path);
    }
}
