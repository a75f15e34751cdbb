using System.Collections.Concurrent;
using Marketplace.IntegrationTests.Infrastructure;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Marketplace.IntegrationTests.Hosting;

/// <summary>The private cluster the app, the tests and the benchmarks start (its own, not the fixture's).</summary>
public class EmbeddedPostgresTests
{
    [Fact]
    public async Task A_throwaway_cluster_stops_again_without_error_after_its_folder_is_gone()
    {
        var root = Path.Combine(Path.GetTempPath(), "mkt-pg-" + Guid.NewGuid().ToString("N")[..8]);
        var postgres = await EmbeddedPostgres.StartAsync(new EmbeddedPostgres.Options(root, Throwaway: true), NullLogger.Instance);

        // As the benchmark does: dispose at the end of Main, then its process-exit handler stops it again.
        await postgres.DisposeAsync();
        Assert.False(Directory.Exists(root));
        await postgres.StopAsync();
    }

    [Fact]
    public async Task The_cluster_has_an_owner_who_migrates_and_a_restricted_app_login()
    {
        var root = Path.Combine(Path.GetTempPath(), "mkt-pg-" + Guid.NewGuid().ToString("N")[..8]);
        await using var postgres = await EmbeddedPostgres.StartAsync(new EmbeddedPostgres.Options(root, Throwaway: true), NullLogger.Instance);

        async Task<string> AskAsync(string connectionString, string sql)
        {
            await using var conn = new NpgsqlConnection(connectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, conn);
            return (string)(await cmd.ExecuteScalarAsync())!;
        }

        const string who = "SELECT current_user || ' super=' || (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) || ' dbowner=' || pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()";
        Assert.Equal("marketplace_owner super=false dbowner=marketplace_owner", await AskAsync(postgres.OwnerConnectionString, who));
        Assert.Equal("marketplace_app super=false dbowner=marketplace_owner", await AskAsync(postgres.ConnectionString, who));
    }

    [Fact]
    public async Task A_fresh_database_migrates_without_an_error_in_the_log()
    {
        var root = Path.Combine(Path.GetTempPath(), "mkt-pg-" + Guid.NewGuid().ToString("N")[..8]);
        await using var postgres = await EmbeddedPostgres.StartAsync(new EmbeddedPostgres.Options(root, Throwaway: true), NullLogger.Instance);
        var errors = new ErrorLog();

        await using (var app = new MarketplaceApp(postgres.ConnectionString, new TestClock(), postgres.OwnerConnectionString)
            .WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(errors))))
        {
            using var client = app.CreateClient(); // starts the host: migrations run on start-up in Development
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        }

        Assert.Empty(errors.Entries);
    }

    private sealed class ErrorLog : ILoggerProvider
    {
        public ConcurrentQueue<string> Entries { get; } = new();
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);
        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) entries.Enqueue($"{category}[{eventId.Id}]: {formatter(state, exception)}");
            }
        }
    }
}
