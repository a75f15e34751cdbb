using System.Text.Json;
using Marketplace.IntegrationTests.Infrastructure;
using Npgsql;

namespace Marketplace.IntegrationTests.Jobs;

/// <summary>
/// Every recurring job the host registers with Hangfire, with its schedule and time zone: a job added,
/// dropped, renamed or moved to another hour fails here until this list says so.
/// </summary>
public class JobRegistrationTests(MarketplaceFixture fixture) : IntegrationTest(fixture)
{
    private sealed record Registration(string Cron, string TimeZone, string Type, string Method);

    private static readonly Dictionary<string, Registration> Expected = new()
    {
        // 01:30 UK time: period roll-over and renewals, allowances, expiry, renewal proposals.
        ["subscriptions-daily"] = new("30 1 * * *", "Europe/London", "Marketplace.Web.Jobs.SubscriptionJobs", "RunDailyAsync"),
        // 02:00 UK time: deliveries the school has not answered within its LA's working days.
        ["bookings-auto-sign-off"] = new("0 2 * * *", "Europe/London", "Marketplace.Web.Jobs.BookingJobs", "RunDailyAsync"),
        // 03:00 UK time: the ledger's invariants.
        ["ledger-invariants"] = new("0 3 * * *", "Europe/London", "Marketplace.Web.Jobs.LedgerJobs", "CheckAsync"),
        // 04:00 UK time: forget old failed sign-ins and long-ended sessions.
        ["sign-in-housekeeping"] = new("0 4 * * *", "Europe/London", "Marketplace.Web.Jobs.SecurityJobs", "ForgetStaleAsync"),
        // Every minute: the outbox.
        ["outbox-dispatch"] = new("* * * * *", "UTC", "Marketplace.Web.Jobs.OutboxJobs", "DispatchAsync"),
    };

    private static string Read(JsonElement job, string compact, string full) =>
        (job.TryGetProperty(compact, out var value) ? value : job.GetProperty(full)).GetString()!;

    [Fact]
    public async Task Every_recurring_job_is_registered_with_its_schedule_and_time_zone()
    {
        await using var conn = new NpgsqlConnection(Fixture.ConnectionString);
        await conn.OpenAsync();
        var ids = new List<string>();
        await using (var cmd = new NpgsqlCommand("SELECT value FROM hangfire.set WHERE key = 'recurring-jobs' ORDER BY value", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));

        foreach (var (id, expected) in Expected)
        {
            var fields = new Dictionary<string, string>();
            await using var cmd = new NpgsqlCommand("SELECT field, value FROM hangfire.hash WHERE key = @key", conn);
            cmd.Parameters.AddWithValue("key", "recurring-job:" + id);
            await using (var reader = await cmd.ExecuteReaderAsync())
                while (await reader.ReadAsync()) fields[reader.GetString(0)] = reader.GetString(1);
            using var job = JsonDocument.Parse(fields["Job"]);
            // Hangfire stores the invocation compactly: "t" is the type, "m" the method (older versions spell them out).
            var type = Read(job.RootElement, "t", "Type").Split(',')[0];
            var method = Read(job.RootElement, "m", "Method");
            Assert.Equal(expected, new Registration(fields["Cron"], fields.GetValueOrDefault("TimeZoneId", "UTC"), type, method));
        }
    }
}
