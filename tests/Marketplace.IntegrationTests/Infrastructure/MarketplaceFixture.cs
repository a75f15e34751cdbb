using System.Net.Http.Headers;
using System.Net.Http.Json;
using Marketplace.Application.DemoWorld;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Marketplace.Application.Common;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Marketplace.IntegrationTests.Infrastructure;

/// <summary>
/// One private PostgreSQL cluster and one running app (the real Program, on a real Kestrel port) for
/// the whole test run. The app migrates the database with the real migrations at start-up and the real
/// demo-world seeder fills it once; each test then starts from a restored copy of that state.
/// </summary>
public sealed class MarketplaceFixture : IAsyncLifetime
{
    private EmbeddedPostgres? _postgres;
    private string _truncate = "";
    private readonly Dictionary<string, string> _tokens = new(StringComparer.OrdinalIgnoreCase);

    public MarketplaceApp App { get; private set; } = null!;

    /// <summary>The app's clock: pinned to <see cref="TestNow.Instant"/>; tests may move it (reset before every test).</summary>
    public TestClock Clock { get; } = new();
    /// <summary>The app's connection: the restricted role, which changes the ledger only through its functions.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The schema owner's connection (migrations, and tests that deliberately break the rules).</summary>
    public string OwnerConnectionString { get; private set; } = "";

    /// <summary>The superuser's: the snapshot and the reset (TRUNCATE, triggers off while the copy goes back).</summary>
    private string _resetConnectionString = "";
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The app's mail pickup folder: this run's own, beside its cluster's data.</summary>
    public string MailDirectory { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "mkt-it-" + Guid.NewGuid().ToString("N")[..8]);
        _postgres = await EmbeddedPostgres.StartAsync(new EmbeddedPostgres.Options(root, Throwaway: true), NullLogger.Instance);
        ConnectionString = _postgres.ConnectionString;
        OwnerConnectionString = _postgres.OwnerConnectionString;
        _resetConnectionString = _postgres.SuperuserConnectionString;

        MailDirectory = _postgres.MailDirectory;
        App = new MarketplaceApp(ConnectionString, Clock, OwnerConnectionString, MailDirectory);
        App.UseKestrel(0);
        App.StartServer();
        var addresses = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));

        // Reset by TRUNCATE rather than Respawn's DELETEs: the ledger's append-only triggers refuse
        // row deletes (as they must), while TRUNCATE is a deliberate, table-level reset.
        await using var conn = new NpgsqlConnection(_resetConnectionString);
        await conn.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('__ef_migrations_history', 'data_protection_keys') ORDER BY tablename", conn))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        _truncate = $"TRUNCATE {string.Join(", ", tables.Select(t => $"public.\"{t}\""))} RESTART IDENTITY CASCADE";

        // Seed the demo world once through the real seeder, keep a copy, and restore that copy before each
        // test: seeding runs the ledger and the concern rules, too slow to repeat for every test.
        await SeedThroughTheAppAsync();
        Clock.MarkStart();
        var sequences = new List<string>();
        await using (var list = new NpgsqlCommand("""
            SELECT format('SELECT setval(%L, coalesce((SELECT max(%I) FROM public.%I), 0) + 1, false);',
                          pg_get_serial_sequence(format('public.%I', table_name), column_name), column_name, table_name)
            FROM information_schema.columns
            WHERE table_schema = 'public' AND pg_get_serial_sequence(format('public.%I', table_name), column_name) IS NOT NULL
            """, conn))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) sequences.Add(reader.GetString(0));
        // Generated columns (e.g. offer_versions.search_vector) are recomputed, not copied.
        var columns = new Dictionary<string, string>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name, string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) FROM information_schema.columns " +
            "WHERE table_schema = 'public' AND is_generated = 'NEVER' GROUP BY table_name", conn))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) columns[reader.GetString(0)] = reader.GetString(1);
        await using (var snapshot = new NpgsqlCommand("DROP SCHEMA IF EXISTS snapshot CASCADE; CREATE SCHEMA snapshot;" +
            string.Concat(tables.Select(t => $"CREATE TABLE snapshot.\"{t}\" AS TABLE public.\"{t}\";")), conn))
            await snapshot.ExecuteNonQueryAsync();
        // Triggers and foreign keys are off while the copy goes back (session_replication_role), so the
        // append-only guards do not fire on this deliberate reset; the copy was consistent when taken.
        _restore = "BEGIN; SET LOCAL session_replication_role = replica; " + _truncate + ";" +
            string.Concat(tables.Select(t => $"INSERT INTO public.\"{t}\" ({columns[t]}) OVERRIDING SYSTEM VALUE SELECT {columns[t]} FROM snapshot.\"{t}\";")) +
            string.Concat(sequences) +
            // A new catalogue version, so no search result cached during the last test is served.
            "UPDATE public.catalogue_versions SET version = nextval('catalogue_version_seq'); COMMIT;";
    }

    private string _restore = "";

    private async Task SeedThroughTheAppAsync()
    {
        await using (var conn = new NpgsqlConnection(_resetConnectionString))
        {
            await conn.OpenAsync();
            await using var truncate = new NpgsqlCommand(_truncate, conn);
            await truncate.ExecuteNonQueryAsync();
        }
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoWorldSeeder>().SeedAsync();
    }

    /// <summary>Puts back the demo world as the real seeder made it at start: each test starts from the same state.</summary>
    public async Task ResetAsync()
    {
        _tokens.Clear();
        Clock.Reset();
        await using var conn = new NpgsqlConnection(_resetConnectionString);
        await conn.OpenAsync();
        await using var restore = new NpgsqlCommand(_restore, conn);
        await restore.ExecuteNonQueryAsync();
    }

    /// <summary>A client over real HTTP to the running server, anonymous.</summary>
    public HttpClient Client() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        BaseAddress = BaseAddress,
    };

    /// <summary>
    /// An anonymous client whose connections come from another loopback address (127.0.0.0/8 is all the
    /// local machine): to the server, another client somewhere else.
    /// </summary>
    public HttpClient ClientFrom(System.Net.IPAddress source, Uri? server = null) => From(source, server ?? BaseAddress);

    public static HttpClient From(System.Net.IPAddress source, Uri server) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new System.Net.IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, ct);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = server,
    };

    /// <summary>A client carrying a bearer token for the given user, from POST /api/v1/auth/login.</summary>
    public async Task<HttpClient> ClientFor(string email, string password = DemoAccounts.Password)
    {
        if (!_tokens.TryGetValue(email, out var token))
        {
            using var anonymous = Client();
            var response = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<LoginResponse>();
            token = body!.AccessToken;
            _tokens[email] = token;
        }
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private sealed record LoginResponse(string AccessToken);

    /// <summary>Moves the app's "today" (UK date, midday) and forgets tokens issued at the old time.</summary>
    public void SetToday(DateOnly day)
    {
        Clock.SetToday(day);
        _tokens.Clear();
    }

    public async Task DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        if (_postgres is not null) await _postgres.StopAsync();
    }
}

public sealed class MarketplaceApp(string connectionString, TimeProvider clock, string? migrationsConnectionString = null,
    string? mailDirectory = null, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Marketplace", connectionString);
        if (migrationsConnectionString is not null) builder.UseSetting("ConnectionStrings:MarketplaceMigrations", migrationsConnectionString);
        if (mailDirectory is not null) builder.UseSetting("Mail:PickupDirectory", mailDirectory);
        builder.UseSetting("DemoWorld:Seed", "false");
        builder.UseSetting("Hangfire:Server", "false");
        // Every test signs in from 127.0.0.1: the shared app's limits are out of reach; RateLimitTests runs an
        // app of its own with the production defaults.
        builder.UseSetting("RateLimits:SignInPerMinute", "1000000");
        builder.UseSetting("RateLimits:AnonymousPerMinute", "1000000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(s => s.AddSingleton(clock));
    }
}

[CollectionDefinition(Name)]
public sealed class MarketplaceCollection : ICollectionFixture<MarketplaceFixture>
{
    public const string Name = "Marketplace";
}

/// <summary>
/// Base for tests against the running app: resets the data before each test and checks the ledger
/// invariants after it (so every test that moves money, over HTTP, a command or a job, is checked).
/// </summary>
[Collection(MarketplaceCollection.Name)]
public abstract class IntegrationTest(MarketplaceFixture fixture) : IAsyncLifetime
{
    protected MarketplaceFixture Fixture { get; } = fixture;

    public virtual Task InitializeAsync() => Fixture.ResetAsync();

    /// <summary>Whatever the test did, the ledger must still hold its invariants afterwards.</summary>
    public virtual Task DisposeAsync() => Ledger.AssertInvariantsAsync(Fixture);
}

/// <summary>
/// The app's clock in tests: a <see cref="FakeTimeProvider"/> pinned to <see cref="TestNow.Instant"/>, never
/// the machine's clock, so a run gives the same answer on any day. Each call moves it on by a millisecond
/// (so events keep their order); tests move "today" with <see cref="SetToday"/> and each test starts back at
/// the pinned instant. Timers and timestamps stay on the system clock: only the wall-clock date is faked.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private FakeTimeProvider _fake = Pinned(TestNow.Instant);
    private DateTimeOffset _start = TestNow.Instant;

    public override DateTimeOffset GetUtcNow() => Volatile.Read(ref _fake).GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => UkClock.London;

    /// <summary>
    /// Back to where tests start: the pinned instant plus the milliseconds the seeding took on this clock (the
    /// same every run), so nothing a test writes sorts before the demo world. FakeTimeProvider only moves
    /// forwards, hence a new one.
    /// </summary>
    public void Reset() => Volatile.Write(ref _fake, Pinned(_start));

    /// <summary>Tests start from the clock's reading now (called once the demo world is seeded).</summary>
    public void MarkStart() => _start = GetUtcNow();

    /// <summary>Moves to midday, UK time, of the given day (forwards or backwards).</summary>
    public void SetToday(DateOnly day) => SetNow(UkClock.At(day, new TimeOnly(12, 0)));

    /// <summary>Moves to an exact instant.</summary>
    public void SetNow(DateTimeOffset instant) => Volatile.Write(ref _fake, Pinned(instant));

    private static FakeTimeProvider Pinned(DateTimeOffset instant) =>
        new(instant.ToUniversalTime()) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
}

/// <summary>
/// The instant a test run takes as "now": <c>MARKETPLACE_TEST_NOW</c> (ISO 8601 with an offset, e.g.
/// <c>2027-03-31T23:30:00+01:00</c>) or, without it, <see cref="Default"/>, so CI answers the same every day.
/// </summary>
public static class TestNow
{
    /// <summary>Wednesday 18 November 2026, 10:30 UK time: a working day in the autumn term, mid financial year.</summary>
    public static readonly DateTimeOffset Default = new(2026, 11, 18, 10, 30, 0, TimeSpan.Zero);

    public const string Variable = "MARKETPLACE_TEST_NOW";

    public static DateTimeOffset Instant { get; } = Read();

    private static DateTimeOffset Read()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text)) return Default;
        if (!System.Text.RegularExpressions.Regex.IsMatch(text.Trim(), @"(Z|[+-]\d{2}:\d{2})$") ||
            !DateTimeOffset.TryParse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var instant))
            throw new InvalidOperationException(
                $"{Variable}='{text}' is not an ISO 8601 instant with an offset, such as 2027-03-31T23:30:00+01:00.");
        return instant;
    }
}
