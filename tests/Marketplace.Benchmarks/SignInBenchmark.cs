using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Marketplace.Application.Data;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Identity;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Marketplace.Benchmarks;

/// <summary>
/// Sign-in timing (issue 10: the same answer and timing for an unknown email and a wrong password). Times
/// POST /api/v1/auth/login for an unknown address, a wrong password and the right one, interleaved, each
/// attempt from its own loopback address so no lock or limit kicks in; beside the raw costs measured in
/// the same run: one PBKDF2 verification (ASP.NET Core Identity's hasher, as configured) and the user
/// lookup by email in plain Npgsql. Usage: dotnet run -c Release --project tests/Marketplace.Benchmarks -- sign-in [attempts]
/// </summary>
internal static class SignInBenchmark
{
    public static async Task<int> RunAsync(int attempts)
    {
        var root = Path.Combine(Path.GetTempPath(), "mkt-bench-" + Guid.NewGuid().ToString("N")[..8]);
        await using var postgres = await EmbeddedPostgres.StartAsync(new EmbeddedPostgres.Options(root, Throwaway: true), NullLogger.Instance);
        await using var app = new BenchmarkApp(postgres.ConnectionString, postgres.OwnerConnectionString, cacheSeconds: 30);
        app.UseKestrel(0);
        app.StartServer();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
        string hash;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoWorldSeeder>().SeedAsync();
            hash = await scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>().Users
                .Where(u => u.Email == DemoAccounts.YorkBuyer).Select(u => u.PasswordHash!).SingleAsync();
        }

        var cases = new (string Name, string Email, string Password, HttpStatusCode Expected)[]
        {
            ("unknown email", "nobody-at-all@york.gov.uk", "not-the-password", HttpStatusCode.Unauthorized),
            ("wrong password", DemoAccounts.YorkBuyer, "not-the-password", HttpStatusCode.Unauthorized),
            ("right password", DemoAccounts.YorkBuyer, DemoAccounts.Password, HttpStatusCode.OK),
        };
        var times = cases.ToDictionary(c => c.Name, _ => new List<double>());
        var address = 0;
        for (var round = -3; round < attempts; round++) // three warm-up rounds
            foreach (var c in cases)
            {
                address++;
                using var client = From(IPAddress.Parse($"127.0.{1 + address / 250}.{1 + address % 250}"), url);
                var timer = Stopwatch.StartNew();
                var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = c.Email, password = c.Password });
                timer.Stop();
                if (response.StatusCode != c.Expected) throw new InvalidOperationException($"{c.Name}: {(int)response.StatusCode}");
                if (round >= 0) times[c.Name].Add(timer.Elapsed.TotalMilliseconds);
            }

        var hasher = new PasswordHasher<AppUser>();
        var verify = new List<double>();
        var lookup = new List<double>();
        await using var data = NpgsqlDataSource.Create(postgres.ConnectionString);
        for (var i = -3; i < attempts; i++)
        {
            var timer = Stopwatch.StartNew();
            hasher.VerifyHashedPassword(new AppUser(), hash, "not-the-password");
            if (i >= 0) verify.Add(timer.Elapsed.TotalMilliseconds);
            timer.Restart();
            await using var cmd = data.CreateCommand("SELECT id, password_hash FROM \"AspNetUsers\" WHERE normalized_email = $1");
            cmd.Parameters.AddWithValue(DemoAccounts.YorkBuyer.ToUpperInvariant());
            await using (var reader = await cmd.ExecuteReaderAsync()) while (await reader.ReadAsync()) { }
            if (i >= 0) lookup.Add(timer.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"Sign-in over HTTP, {attempts} attempts each, interleaved (ms):");
        Console.WriteLine($"{"",-34} {"p50",8} {"p90",8}");
        foreach (var (name, list) in times) Console.WriteLine($"{"product: " + name,-34} {P(list, 50),8:F1} {P(list, 90),8:F1}");
        Console.WriteLine($"{"raw: one PBKDF2 verification",-34} {P(verify, 50),8:F1} {P(verify, 90),8:F1}");
        Console.WriteLine($"{"raw: user lookup (plain Npgsql)",-34} {P(lookup, 50),8:F1} {P(lookup, 90),8:F1}");
        var gap = Math.Abs(P(times["unknown email"], 50) - P(times["wrong password"], 50));
        Console.WriteLine($"Unknown email vs wrong password: p50 differs by {gap:F1} ms ({100 * gap / P(verify, 50):F0} % of one hash verification).");
        await postgres.StopAsync();
        return 0;
    }

    private static double P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1)];
    }

    private static HttpClient From(IPAddress source, Uri server) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, ct);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        },
    })
    {
        BaseAddress = server,
    };
}
