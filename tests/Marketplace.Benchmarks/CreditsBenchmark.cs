using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Features.Credits;
using Marketplace.Domain.Credits;
using Marketplace.Web.Hosting;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Marketplace.Benchmarks;

/// <summary>
/// The credits ledger under load, each figure beside its plain-SQL equivalent on the same database in
/// the same run (issue 3):
/// <list type="bullet">
/// <item>credit purchases per second over HTTP (wrk, 32 connections, a fresh Idempotency-Key per
/// request) against a bare endpoint doing one idempotent INSERT … ON CONFLICT DO NOTHING;</item>
/// <item>spends per second through the application's spend command (Mediator → CreditLedger), 32
/// concurrent callers, on one hot wallet and spread over 1,000 wallets, against a plain conditional
/// debit plus ledger insert in one statement.</item>
/// </list>
/// Usage: dotnet run -c Release --project tests/Marketplace.Benchmarks -- credits [seconds]
/// </summary>
internal static class CreditsBenchmark
{
    private static readonly int Callers = int.TryParse(Environment.GetEnvironmentVariable("BENCH_CALLERS"), out var c) ? c : 32;
    private const int Wallets = 1_000;

    public static async Task<int> RunAsync(int seconds)
    {
        var root = Path.Combine(Path.GetTempPath(), "mkt-bench-" + Guid.NewGuid().ToString("N")[..8]);
        await using var postgres = await EmbeddedPostgres.StartAsync(new EmbeddedPostgres.Options(root, Throwaway: true), NullLogger.Instance);
        var connectionString = postgres.ConnectionString + ";Maximum Pool Size=64";
        await using var app = new BenchmarkApp(connectionString, postgres.OwnerConnectionString, cacheSeconds: 30);
        app.UseKestrel(0);
        app.StartServer();
        var productUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1");

        int urn;
        Guid offerId, destination, hotSchool;
        List<Guid> spread;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoWorldSeeder>().SeedAsync();
            var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
            var ledger = scope.ServiceProvider.GetRequiredService<CreditLedger>();
            var buyer = await db.Users.Where(u => u.Email == DemoAccounts.YorkBuyer).Select(u => u.SchoolId).SingleAsync();
            urn = await db.Schools.Where(s => s.Id == buyer).Select(s => s.Urn).SingleAsync();
            var york = await db.LocalAuthorities.SingleAsync(l => l.Code == DemoAccounts.YorkCode);
            offerId = await db.Offers.Where(o => o.PublishedVersionId != null).OrderBy(o => o.Id).Select(o => o.Id).FirstAsync();
            destination = await ledger.AccountAsync(LedgerAccountKind.LaRevenue, localAuthorityId: york.Id);

            // 1,000 extra schools, each with a wallet of one large purchased grant (so no spend is refused).
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO schools (id, urn, name, local_authority_id, phase, type, cluster, pupils_on_roll)
                SELECT gen_random_uuid(), 900000 + g, 'Benchmark School ' || g, {york.Id}, 2, 'Maintained', 'Benchmark', 200
                FROM generate_series(1, {Wallets}) g
                """);
            spread = await db.Schools.Where(s => s.Urn > 900000).Select(s => s.Id).ToListAsync();
            hotSchool = spread[0];
            var expires = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(2);
            foreach (var school in spread)
                await ledger.GrantAsync(new CreditLedger.GrantRequest($"bench-grant:{school:N}", LedgerTransactionKind.Purchase, school, york.Id,
                    CreditSource.Purchased, 1_000_000, expires, 50_00, "Benchmark credits"));
        }
        Console.WriteLine($"Seeded the demo world and {Wallets:N0} benchmark wallets");

        // The plain-SQL side: its own tables, the same database and server.
        await using var dataSource = NpgsqlDataSource.Create(Marketplace.Application.DependencyInjection.WithAutoPrepare(connectionString));
        // Created by the schema's owner, as a migration would; the app's role gets its usual privileges on them.
        await using (var owner = new NpgsqlConnection(postgres.OwnerConnectionString))
        await using (var setup = new NpgsqlCommand("""
            CREATE TABLE bench_purchases (idempotency_key text PRIMARY KEY, school_id uuid NOT NULL, credits int NOT NULL, po text, created_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE bench_wallets (id uuid PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0));
            CREATE TABLE bench_entries (id bigserial PRIMARY KEY, wallet_id uuid NOT NULL, amount bigint NOT NULL, at timestamptz NOT NULL DEFAULT now());
            INSERT INTO bench_wallets SELECT id, 1000000 FROM schools WHERE urn > 900000;
            """, owner))
        {
            await owner.OpenAsync();
            await setup.ExecuteNonQueryAsync();
        }
        await using var raw = await RawPurchaseEndpoint.StartAsync(dataSource);

        Wrk.Result p = new(0, 0, 0, 0), r = new(1, 0, 0, 0), ps = new(0, 0, 0, 0), rs = new(1, 0, 0, 0);
        var spreadBookings = false;
        string adminToken = "";
        if (Environment.GetEnvironmentVariable("BENCH_SKIP_HTTP") != "1")
        {
        // ---- purchases over HTTP ----
        string token;
        using (var http = new HttpClient())
        {
            var login = await http.PostAsJsonAsync($"{productUrl}/api/v1/auth/login", new { email = DemoAccounts.YorkBuyer, password = DemoAccounts.Password });
            token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        }
        adminToken = "";
        using (var http = new HttpClient())
        {
            var login = await http.PostAsJsonAsync($"{productUrl}/api/v1/auth/login", new { email = DemoAccounts.Admin, password = DemoAccounts.Password });
            adminToken = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        }
        var spreadScript = Path.Combine(root, "purchase-spread.lua");
        await File.WriteAllTextAsync(spreadScript, $$"""
            local counter = 0
            local id = 0
            function setup(thread) id = id + 1; thread:set("tid", id) end
            function init(args) tid = tid or 0; math.randomseed(tid) end
            request = function()
              counter = counter + 1
              wrk.headers["Idempotency-Key"] = "bench-s-" .. tid .. "-" .. counter .. "-" .. math.random(1, 1000000000)
              local urn = 900000 + math.random(1, {{Wallets}})
              return wrk.format("POST", wrk.path .. urn .. "/credits/purchases", nil, '{"credits":1,"purchaseOrderNumber":"PO-BENCH"}')
            end
            """);
        var script = Path.Combine(root, "purchase.lua");
        await File.WriteAllTextAsync(script, """
            local counter = 0
            local id = 0
            local threads = {}
            function setup(thread) id = id + 1; thread:set("tid", id) end
            function init(args) tid = tid or 0 end
            request = function()
              counter = counter + 1
              wrk.headers["Idempotency-Key"] = "bench-" .. tid .. "-" .. counter .. "-" .. math.random(1, 1000000000)
              return wrk.format("POST", nil, nil, '{"credits":1,"purchaseOrderNumber":"PO-BENCH"}')
            end
            """);
        var productPurchase = $"{productUrl}/api/v1/schools/{urn}/credits/purchases";
        var rawPurchase = $"{raw.Url}/schools/{urn}/credits/purchases";
        string[] headers = ["Content-Type: application/json", $"Authorization: Bearer {token}"];
        Console.WriteLine($"Purchases: warming up, then {seconds} s per round, two rounds each, alternating…");
        await Wrk.RunAsync(productPurchase, 3, script, headers);
        await Wrk.RunAsync(rawPurchase, 3, script, headers);
        var productRuns = new List<Wrk.Result>();
        var rawRuns = new List<Wrk.Result>();
        for (var round = 0; round < 2; round++)
        {
            productRuns.Add(await Wrk.RunAsync(productPurchase, seconds, script, headers));
            rawRuns.Add(await Wrk.RunAsync(rawPurchase, seconds, script, headers));
        }
        p = Wrk.Result.Mean(productRuns);
        r = Wrk.Result.Mean(rawRuns);

        // The same over 1,000 schools (an admin buying for each, so one token serves them all).
        string[] adminHeaders = ["Content-Type: application/json", $"Authorization: Bearer {adminToken}"];
        await Wrk.RunAsync($"{productUrl}/api/v1/schools/", 3, spreadScript, adminHeaders);
        var spreadRuns = new List<Wrk.Result>();
        var spreadRawRuns = new List<Wrk.Result>();
        for (var round = 0; round < 2; round++)
        {
            spreadRuns.Add(await Wrk.RunAsync($"{productUrl}/api/v1/schools/", seconds, spreadScript, adminHeaders));
            spreadRawRuns.Add(await Wrk.RunAsync($"{raw.Url}/schools/", seconds, spreadScript, adminHeaders));
        }
        ps = Wrk.Result.Mean(spreadRuns);
        rs = Wrk.Result.Mean(spreadRawRuns);
        }

        // ---- booking requests over HTTP (request + hold), issue 4 ----
        Guid bookable;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
            bookable = await db.Offers.Where(o => o.Status == Marketplace.Domain.Catalogue.OfferStatus.Published && o.PublishedVersionId != null)
                .OrderBy(o => o.Id).Select(o => o.Id).FirstAsync();
        }
        var bookingScript = Path.Combine(root, "booking.lua");
        await File.WriteAllTextAsync(bookingScript, $$"""
            local counter = 0
            local id = 0
            function setup(thread) id = id + 1; thread:set("tid", id) end
            function init(args) tid = tid or 0; math.randomseed(tid) end
            request = function()
              counter = counter + 1
              wrk.headers["Idempotency-Key"] = "bench-b-" .. tid .. "-" .. counter .. "-" .. math.random(1, 1000000000)
              local urn = 900001
              if {{(spreadBookings ? "true" : "false")}} then urn = 900000 + math.random(1, {{Wallets}}) end
              return wrk.format("POST", wrk.path .. urn .. "/bookings", nil, '{"offerId":"{{bookable}}","quantity":1}')
            end
            """);
        Wrk.Result bp = new(0, 0, 0, 0), br = new(1, 0, 0, 0), bps = new(0, 0, 0, 0), brs = new(1, 0, 0, 0);
        if (Environment.GetEnvironmentVariable("BENCH_SKIP_HTTP") != "1")
        {
            var hotBooking = bookingScript;
            var spreadBooking = Path.Combine(root, "booking-spread.lua");
            await File.WriteAllTextAsync(spreadBooking, (await File.ReadAllTextAsync(bookingScript)).Replace("if false then", "if true then"));
            string[] adminJson = ["Content-Type: application/json", $"Authorization: Bearer {adminToken}"];
            Console.WriteLine($"Bookings: warming up, then {seconds} s per round, two rounds each, alternating…");
            await Wrk.RunAsync($"{productUrl}/api/v1/schools/", 3, hotBooking, adminJson);
            await Wrk.RunAsync($"{raw.Url}/schools/", 3, hotBooking, adminJson);
            var runs = new List<Wrk.Result>[] { [], [], [], [] };
            for (var round = 0; round < 2; round++)
            {
                runs[0].Add(await Wrk.RunAsync($"{productUrl}/api/v1/schools/", seconds, hotBooking, adminJson));
                runs[1].Add(await Wrk.RunAsync($"{raw.Url}/schools/", seconds, hotBooking, adminJson));
                runs[2].Add(await Wrk.RunAsync($"{productUrl}/api/v1/schools/", seconds, spreadBooking, adminJson));
                runs[3].Add(await Wrk.RunAsync($"{raw.Url}/schools/", seconds, spreadBooking, adminJson));
            }
            (bp, br, bps, brs) = (Wrk.Result.Mean(runs[0]), Wrk.Result.Mean(runs[1]), Wrk.Result.Mean(runs[2]), Wrk.Result.Mean(runs[3]));
        }

        // ---- spends through the command ----
        var mediatorScopeFactory = app.Services.GetRequiredService<IServiceScopeFactory>();
        async Task<double> ProductSpends(Func<int, Guid> wallet, int secs)
        {
            var stop = Stopwatch.StartNew();
            var count = 0L;
            var failures = 0L;
            await Task.WhenAll(Enumerable.Range(0, Callers).Select(async caller =>
            {
                var i = 0;
                while (stop.Elapsed.TotalSeconds < secs)
                {
                    await using var scope = mediatorScopeFactory.CreateAsyncScope();
                    try
                    {
                        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SpendCredits.Command(wallet(caller * 1_000_003 + i), 1, offerId,
                            destination, $"bench-spend:{Guid.NewGuid():N}", "Benchmark spend"));
                        Interlocked.Increment(ref count);
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref failures);
                    }
                    i++;
                }
            }));
            if (failures > 0) Console.WriteLine($"  ({failures} spends failed)");
            return count / stop.Elapsed.TotalSeconds;
        }

        async Task<double> RawSpends(Func<int, Guid> wallet, int secs)
        {
            var stop = Stopwatch.StartNew();
            var count = 0L;
            await Task.WhenAll(Enumerable.Range(0, Callers).Select(async caller =>
            {
                var i = 0;
                while (stop.Elapsed.TotalSeconds < secs)
                {
                    await using var cmd = dataSource.CreateCommand("""
                        WITH d AS (UPDATE bench_wallets SET balance = balance - 1 WHERE id = $1 AND balance >= 1 RETURNING id)
                        INSERT INTO bench_entries (wallet_id, amount) SELECT id, -1 FROM d
                        """);
                    cmd.Parameters.Add(new NpgsqlParameter { Value = wallet(caller * 1_000_003 + i) });
                    if (await cmd.ExecuteNonQueryAsync() == 1) Interlocked.Increment(ref count);
                    i++;
                }
            }));
            return count / stop.Elapsed.TotalSeconds;
        }

        // The same database function the command calls, straight from Npgsql: separates the database's
        // share of the cost from the application's (scope, Mediator, validation, EF connection handling).
        async Task<double> FunctionSpends(Func<int, Guid> wallet, int secs)
        {
            var stop = Stopwatch.StartNew();
            var count = 0L;
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            await Task.WhenAll(Enumerable.Range(0, Callers).Select(async caller =>
            {
                var i = 0;
                while (stop.Elapsed.TotalSeconds < secs)
                {
                    await using var cmd = dataSource.CreateCommand("SELECT count(*) FROM ledger_spend($1, $2, $3, 1, $4, 'Benchmark spend', NULL, now(), $5)");
                    foreach (var v in new object[] { Guid.CreateVersion7(), $"bench-fn:{Guid.NewGuid():N}", wallet(caller * 1_000_003 + i), destination, today })
                        cmd.Parameters.Add(new NpgsqlParameter { Value = v });
                    await cmd.ExecuteScalarAsync();
                    Interlocked.Increment(ref count);
                    i++;
                }
            }));
            return count / stop.Elapsed.TotalSeconds;
        }

        Guid Hot(int _) => hotSchool;
        Guid Spread(int n) => spread[(int)((uint)(n * 2654435761u) % (uint)spread.Count)];
        Console.WriteLine($"Spends: {Callers} concurrent callers, warming up, then {seconds} s per round, two rounds each, alternating…");
        await ProductSpends(Hot, 2);
        await RawSpends(Hot, 2);
        double hotProduct = 0, hotRaw = 0, spreadProduct = 0, spreadRaw = 0, hotFunction = 0, spreadFunction = 0;
        for (var round = 0; round < 2; round++)
        {
            hotProduct += await ProductSpends(Hot, seconds) / 2;
            hotFunction += await FunctionSpends(Hot, seconds) / 2;
            hotRaw += await RawSpends(Hot, seconds) / 2;
            spreadProduct += await ProductSpends(Spread, seconds) / 2;
            spreadFunction += await FunctionSpends(Spread, seconds) / 2;
            spreadRaw += await RawSpends(Spread, seconds) / 2;
        }

        // The money must still be right after all that.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var violations = await LedgerInvariants.ViolationsAsync(scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>());
            Console.WriteLine(violations.Count == 0 ? "Ledger invariants hold after the run." : "LEDGER INVARIANTS BROKEN:\n" + string.Join("\n", violations.Take(20)));
            if (violations.Count > 0) return 1;
        }

        Console.WriteLine();
        Console.WriteLine($"Credits ledger, {Callers} concurrent callers, {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"",-52}{"product/s",12}{"baseline/s",12}{"ratio",8}");
        Line("purchases over HTTP, one school (idempotent INSERT)", p.RequestsPerSecond, r.RequestsPerSecond);
        Line($"purchases over HTTP, {Wallets:N0} schools (idempotent INSERT)", ps.RequestsPerSecond, rs.RequestsPerSecond);
        Line("booking requests over HTTP, one school (debit + entry)", bp.RequestsPerSecond, br.RequestsPerSecond);
        Line($"booking requests over HTTP, {Wallets:N0} schools (debit + entry)", bps.RequestsPerSecond, brs.RequestsPerSecond);
        Line("spends, one hot wallet (debit + entry baseline)", hotProduct, hotRaw);
        Line($"spends over {Wallets:N0} wallets (debit + entry baseline)", spreadProduct, spreadRaw);
        Console.WriteLine($"for reference, ledger_spend() called straight from Npgsql: {hotFunction:F0}/s hot, {spreadFunction:F0}/s spread");
        Console.WriteLine($"purchases p50/p99, one school: product {p.P50Ms:F1}/{p.P99Ms:F1} ms, baseline {r.P50Ms:F1}/{r.P99Ms:F1} ms; errors {p.Errors}/{r.Errors}");
        Console.WriteLine($"bookings p50/p99, one school: product {bp.P50Ms:F1}/{bp.P99Ms:F1} ms, baseline {br.P50Ms:F1}/{br.P99Ms:F1} ms; errors {bp.Errors}/{br.Errors}; {Wallets:N0} schools: product {bps.P50Ms:F1}/{bps.P99Ms:F1} ms, baseline {brs.P50Ms:F1}/{brs.P99Ms:F1} ms; errors {bps.Errors}/{brs.Errors}");
        Console.WriteLine($"purchases p50/p99, {Wallets:N0} schools: product {ps.P50Ms:F1}/{ps.P99Ms:F1} ms, baseline {rs.P50Ms:F1}/{rs.P99Ms:F1} ms; errors {ps.Errors}/{rs.Errors}");
        return 0;

        static void Line(string label, double product, double baseline) =>
            Console.WriteLine($"{label,-52}{product,12:F0}{baseline,12:F0}{product / baseline,8:P0}  (goal ≥ 40%: {(product / baseline >= 0.4 ? "met" : "NOT met")})");
    }
}

/// <summary>The purchase baseline: a bare endpoint doing one idempotent INSERT with plain Npgsql. No auth, no validation, no ledger.</summary>
internal sealed class RawPurchaseEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RawPurchaseEndpoint(WebApplication app, string url) { _app = app; Url = url; }

    public string Url { get; }

    public static async Task<RawPurchaseEndpoint> StartAsync(NpgsqlDataSource dataSource)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var school = Guid.NewGuid();
        app.MapPost("/schools/{urn:int}/credits/purchases", async (int urn, HttpContext http) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
            await using var cmd = dataSource.CreateCommand("INSERT INTO bench_purchases (idempotency_key, school_id, credits, po) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
            cmd.Parameters.Add(new NpgsqlParameter { Value = http.Request.Headers["Idempotency-Key"].ToString() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = school });
            cmd.Parameters.Add(new NpgsqlParameter { Value = body.GetProperty("credits").GetInt32() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = body.GetProperty("purchaseOrderNumber").GetString()! });
            await cmd.ExecuteNonQueryAsync();
            http.Response.StatusCode = 201;
            await http.Response.WriteAsJsonAsync(new { urn, credits = body.GetProperty("credits").GetInt32() });
        });
        // The booking baseline: the plain-SQL hold, a conditional debit plus a ledger insert in one statement.
        app.MapPost("/schools/{urn:int}/bookings", async (int urn, HttpContext http) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
            await using var cmd = dataSource.CreateCommand("""
                WITH d AS (UPDATE bench_wallets w SET balance = w.balance - $2 FROM schools s WHERE s.urn = $1 AND w.id = s.id AND w.balance >= $2 RETURNING w.id)
                INSERT INTO bench_entries (wallet_id, amount) SELECT id, -$2 FROM d
                """);
            cmd.Parameters.Add(new NpgsqlParameter { Value = urn });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (long)body.GetProperty("quantity").GetInt32() });
            var held = await cmd.ExecuteNonQueryAsync() == 1;
            http.Response.StatusCode = held ? 201 : 409;
            await http.Response.WriteAsJsonAsync(new { urn, held });
        });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RawPurchaseEndpoint(app, url);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
