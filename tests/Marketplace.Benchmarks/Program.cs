using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

// Catalogue search under load: the product's endpoint beside a raw Npgsql endpoint running the same SQL
// on the same database, measured alternately in one run with wrk (32 connections). Prints requests/s
// and p50/p99 latency for both. Usage: dotnet run -c Release --project tests/Marketplace.Benchmarks [-- seconds]
namespace Marketplace.Benchmarks;

internal static class CatalogueBenchmark
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "sign-in")
            return await SignInBenchmark.RunAsync(args.Length > 1 && int.TryParse(args[1], out var n) ? n : 40);
        if (!File.Exists("/usr/bin/wrk"))
        {
            Console.Error.WriteLine("wrk is not installed: run `apt-get install -y wrk` (infra/scripts/bench.sh does this).");
            return 2;
        }
        if (args.Length > 0 && args[0] == "credits")
            return await CreditsBenchmark.RunAsync(args.Length > 1 && int.TryParse(args[1], out var cs) ? cs : 10);
        var seconds = args.Length > 0 && int.TryParse(args[0], out var s) ? s : 15;
        const string Query = "subject=mathematics&phase=primary&q=consultant";

        var root = Path.Combine(Path.GetTempPath(), "mkt-bench-" + Guid.NewGuid().ToString("N")[..8]);
        await using var postgres = await EmbeddedPostgres.StartAsync(new EmbeddedPostgres.Options(root, Throwaway: true), NullLogger.Instance);
        Console.WriteLine($"PostgreSQL: throwaway cluster in {root}");
        // Ctrl+C or a kill must not leave the cluster running.
        Console.CancelKeyPress += (_, _) => postgres.StopAsync().GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => postgres.StopAsync().GetAwaiter().GetResult();

        // The product twice: as configured (results cached under the catalogue version) and with the
        // cache off, so the SQL path is measured on its own against the baseline too.
        var connectionString = postgres.ConnectionString + ";Maximum Pool Size=64";
        await using var app = new BenchmarkApp(connectionString, postgres.OwnerConnectionString, cacheSeconds: 30);
        await using var uncachedApp = new BenchmarkApp(connectionString, postgres.OwnerConnectionString, cacheSeconds: 0);
        var productUrl = Start(app);
        var uncachedUrl = Start(uncachedApp);

        var timer = Stopwatch.StartNew();
        await ScaledWorld.SeedAsync(postgres.OwnerConnectionString); // as the owner, so its ANALYZE covers every table
        Console.WriteLine($"Seeded {ScaledWorld.Schools:N0} schools and {ScaledWorld.Offers:N0} offers in {timer.Elapsed.TotalSeconds:F1} s");

        static string Start(BenchmarkApp factory)
        {
            factory.UseKestrel(0);
            factory.StartServer();
            return factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
                .Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1");
        }

        if (args.Contains("--hold"))
        {
            Console.WriteLine($"Holding the seeded database for 10 minutes: PGPASSFILE={postgres.PasswordFile} psql -h {postgres.SocketDirectory} -U {EmbeddedPostgres.AppRole} marketplace");
            await Task.Delay(TimeSpan.FromMinutes(10));
            return 0;
        }

        if (args.Contains("--explain"))
        {
            await RawBaseline.ExplainAsync(postgres.ConnectionString, "Mathematics", 2, "consultant");
            return 0;
        }

        // Same pool size and the same automatic statement preparation as the product's connections.
        await using var baseline = await RawBaseline.StartAsync(Marketplace.Application.DependencyInjection.WithAutoPrepare(connectionString));

        using (var http = new HttpClient())
        {
            var product = await http.GetStringAsync($"{productUrl}/api/v1/offers?{Query}");
            var raw = await http.GetStringAsync($"{baseline.Url}/offers?{Query}");
            var productCount = Regex.Match(product, "\"totalCount\":(\\d+)").Groups[1].Value;
            var rawCount = Regex.Match(raw, "\"totalCount\":(\\d+)").Groups[1].Value;
            Console.WriteLine($"Both endpoints answer {productCount} / {rawCount} matching offers for ?{Query}");
            if (productCount != rawCount || productCount == "0")
            {
                Console.Error.WriteLine("The two endpoints disagree (or found nothing): the comparison would be meaningless.");
                return 1;
            }
        }

        Console.WriteLine($"Warming up, then {seconds} s per round, two rounds each, alternating…");
        await Wrk.RunAsync($"{productUrl}/api/v1/offers?{Query}", 5);
        await Wrk.RunAsync($"{uncachedUrl}/api/v1/offers?{Query}", 5);
        await Wrk.RunAsync($"{baseline.Url}/offers?{Query}", 5);
        var productRuns = new List<Wrk.Result>();
        var uncachedRuns = new List<Wrk.Result>();
        var rawRuns = new List<Wrk.Result>();
        for (var round = 0; round < 2; round++)
        {
            productRuns.Add(await Wrk.RunAsync($"{productUrl}/api/v1/offers?{Query}", seconds));
            uncachedRuns.Add(await Wrk.RunAsync($"{uncachedUrl}/api/v1/offers?{Query}", seconds));
            rawRuns.Add(await Wrk.RunAsync($"{baseline.Url}/offers?{Query}", seconds));
        }

        var p = Wrk.Result.Mean(productRuns);
        var u = Wrk.Result.Mean(uncachedRuns);
        var r = Wrk.Result.Mean(rawRuns);
        var ratio = p.RequestsPerSecond / r.RequestsPerSecond;
        var uncachedRatio = u.RequestsPerSecond / r.RequestsPerSecond;
        Console.WriteLine();
        Console.WriteLine($"Catalogue search, GET ?{Query}, 32 connections, {Environment.ProcessorCount} cores, {ScaledWorld.Offers:N0} offers");
        Console.WriteLine($"{"",-28}{"req/s",10}{"p50 ms",10}{"p99 ms",10}{"errors",8}");
        Console.WriteLine($"{"product (/api/v1/offers)",-28}{p.RequestsPerSecond,10:F0}{p.P50Ms,10:F2}{p.P99Ms,10:F2}{p.Errors,8}");
        Console.WriteLine($"{"product, cache off",-28}{u.RequestsPerSecond,10:F0}{u.P50Ms,10:F2}{u.P99Ms,10:F2}{u.Errors,8}");
        Console.WriteLine($"{"baseline (raw Npgsql)",-28}{r.RequestsPerSecond,10:F0}{r.P50Ms,10:F2}{r.P99Ms,10:F2}{r.Errors,8}");
        Console.WriteLine($"product / baseline throughput: {ratio:P0}; with the cache off: {uncachedRatio:P0} (goal ≥ 50%: {(ratio >= 0.5 ? "met" : "NOT met")}; cache off: {(uncachedRatio >= 0.5 ? "met" : "NOT met")})");
        Console.WriteLine($"product p99: {p.P99Ms:F1} ms; with the cache off: {u.P99Ms:F1} ms (goal < 50 ms: {(p.P99Ms < 50 ? "met" : "NOT met")}; cache off: {(u.P99Ms < 50 ? "met" : "NOT met")})");
        return 0;
    }
}

/// <summary>The real app, as in production but migrated on start-up and with no demo world or job server.</summary>
internal sealed class BenchmarkApp(string connectionString, string migrationsConnectionString, int cacheSeconds) : WebApplicationFactory<global::Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder b)
    {
        b.UseSolutionRelativeContentRoot("src/Marketplace.Web");
        b.UseEnvironment("Development"); // migrates on start-up; the demo world is switched off below
        b.UseSetting("ConnectionStrings:Marketplace", connectionString);
        b.UseSetting("ConnectionStrings:MarketplaceMigrations", migrationsConnectionString);
        b.UseSetting("DemoWorld:Seed", "false");
        b.UseSetting("Hangfire:Server", "false");
        b.UseSetting("Catalogue:Cache:Seconds", cacheSeconds.ToString(CultureInfo.InvariantCulture));
        // The load comes from one address: the per-client rate limits would measure themselves.
        b.UseSetting("RateLimits:SignInPerMinute", "100000000");
        b.UseSetting("RateLimits:AnonymousPerMinute", "100000000");
        b.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
    }
}

internal static class Wrk
{
    public sealed record Result(double RequestsPerSecond, double P50Ms, double P99Ms, long Errors)
    {
        public static Result Mean(IReadOnlyList<Result> runs) => new(runs.Average(x => x.RequestsPerSecond),
            runs.Average(x => x.P50Ms), runs.Average(x => x.P99Ms), runs.Sum(x => x.Errors));
    }

    public static async Task<Result> RunAsync(string url, int seconds, string? script = null, string[]? headers = null)
    {
        var args = new List<string> { "-t2", "-c32", $"-d{seconds}s", "--latency" };
        if (script is not null) args.AddRange(["-s", script]);
        foreach (var h in headers ?? []) args.AddRange(["-H", h]);
        args.Add(url);
        var psi = new ProcessStartInfo("/usr/bin/wrk", args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var wrk = Process.Start(psi)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var rps = double.Parse(Regex.Match(output, @"Requests/sec:\s+([\d.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = Regex.Matches(output, @"(?:Non-2xx or 3xx responses|Socket errors:.*?timeout)\s*:?\s*(\d+)").Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        return new Result(rps, Percentile(output, "50%"), Percentile(output, "99%"), errors);
    }

    private static double Percentile(string output, string label)
    {
        var m = Regex.Match(output, $@"^\s*{Regex.Escape(label)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }
}
