using Marketplace.Web.Hosting;
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
}
