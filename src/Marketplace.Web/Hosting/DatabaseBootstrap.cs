using Marketplace.Application.Data;
using Marketplace.Application.DemoWorld;
using Marketplace.Application.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Marketplace.Web.Hosting;

/// <summary>
/// Decides which database the host uses and prepares it. With ConnectionStrings:Marketplace set, that
/// database is used and nothing is started. Without it, outside Production, a private embedded
/// PostgreSQL cluster is started (and stopped with the host). Production never starts one, never seeds,
/// and migrates only through the explicit `migrate` verb.
/// Two connections (ADR 0015): the app's (ConnectionStrings:Marketplace, a role that can change the
/// ledger only through its functions) and the migrations' (ConnectionStrings:MarketplaceMigrations, the
/// schema's owner; the app's own connection when unset, for a database with a single role).
/// </summary>
public static class DatabaseBootstrap
{
    public const string ConnectionStringName = "Marketplace";
    public const string MigrationsConnectionStringName = "MarketplaceMigrations";

    public sealed record Connections(string App, string Migrations, EmbeddedPostgres? Embedded);

    public static async Task<Connections> ResolveAsync(IConfiguration configuration, IHostEnvironment environment, ILogger logger)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var migrations = configuration.GetConnectionString(MigrationsConnectionStringName);
            return new(configured, string.IsNullOrWhiteSpace(migrations) ? configured : migrations, null);
        }

        if (environment.IsProduction())
            throw new InvalidOperationException(
                "No database configured. Set ConnectionStrings__Marketplace; Production never starts an embedded PostgreSQL.");

        var root = configuration["EmbeddedPostgres:RootDirectory"];
        var embedded = await EmbeddedPostgres.StartAsync(
            new EmbeddedPostgres.Options(string.IsNullOrWhiteSpace(root) ? EmbeddedPostgres.DefaultRootDirectory() : root),
            logger);
        logger.LogInformation("Using the embedded PostgreSQL in {Directory}", embedded.DataDirectory);
        return new(embedded.ConnectionString, embedded.OwnerConnectionString, embedded);
    }

    /// <summary>
    /// The instance's own mail pickup folder when Mail:PickupDirectory is not set: beside the embedded
    /// database's data (so two instances on one machine never share one), or, with a configured database,
    /// a folder of the app's user named for that database. Production is told when mail goes to a folder.
    /// </summary>
    public static void UseInstanceMailFolder(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment,
        Connections connections, ILogger logger)
    {
        var folder = string.IsNullOrWhiteSpace(configuration["Mail:PickupDirectory"]) ? DefaultMailDirectory(connections) : configuration["Mail:PickupDirectory"]!;
        services.PostConfigure<MailOptions>(o =>
        {
            if (string.IsNullOrWhiteSpace(o.PickupDirectory)) o.PickupDirectory = folder;
        });
        if (environment.IsProduction() && string.IsNullOrWhiteSpace(configuration["Mail:SmtpHost"]))
            logger.LogWarning("No mail server is configured (Mail__SmtpHost): emails are written to {Folder} and nobody receives them", folder);
    }

    public static string DefaultMailDirectory(Connections connections)
    {
        if (connections.Embedded is not null) return connections.Embedded.MailDirectory;
        var target = new NpgsqlConnectionStringBuilder(connections.App);
        var key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{target.Host}|{target.Port}|{target.Database}")))[..12];
        var home = Path.GetDirectoryName(EmbeddedPostgres.DefaultRootDirectory())!; // /var/lib/marketplace or ~/.local/share/marketplace
        var name = new string((target.Database ?? "marketplace").Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return Path.Combine(home, "mail", $"{name}-{key}");
    }

    /// <summary>Applies the migrations over the migrations' (owner's) connection.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        db.Database.SetConnectionString(services.GetRequiredService<Connections>().Migrations);
        // EF reads the history table before it creates it, and logs that expected failure as an error on a
        // fresh database; creating it first (IF NOT EXISTS, as EF itself would) leaves only real errors.
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(ct);
        await db.Database.MigrateAsync(ct);
    }

    /// <summary>
    /// Warns when the app's own role can write the ledger tables directly (a superuser, or the schema's
    /// owner): everything works, but least privilege is not in force (README, "Database roles").
    /// </summary>
    public static async Task WarnIfLedgerWritableAsync(IServiceProvider services, ILogger logger, CancellationToken ct = default)
    {
        try
        {
            await using var conn = new NpgsqlConnection(services.GetRequiredService<Connections>().App);
            await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand("""
                SELECT current_user::text, CASE WHEN to_regclass('ledger_accounts') IS NULL THEN false
                    ELSE has_table_privilege('ledger_accounts', 'UPDATE') OR has_table_privilege('ledger_entries', 'INSERT') END
                """, conn);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct) && reader.GetBoolean(1))
                logger.LogWarning("The app's database role {Role} can change the ledger tables directly, not only through the ledger functions: " +
                    "connect the app as a member of marketplace_app and migrate as the schema's owner (README, Database roles)", reader.GetString(0));
        }
        catch (NpgsqlException e)
        {
            logger.LogWarning(e, "Could not check the app's database privileges");
        }
    }

    /// <summary>Migrate and seed on start-up: Development only (and the tests, which run as Development).</summary>
    public static async Task PrepareForDevelopmentAsync(WebApplication app)
    {
        if (app.Environment.IsProduction()) return;
        if (app.Configuration.GetValue("Database:MigrateOnStartup", true)) await MigrateAsync(app.Services);
        if (app.Environment.IsDevelopment() && app.Configuration.GetValue("DemoWorld:Seed", true))
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DemoWorldSeeder>().SeedAsync();
        }
    }
}

/// <summary>Stops the embedded cluster when the host stops.</summary>
internal sealed class EmbeddedPostgresLifetime(EmbeddedPostgres embedded) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => embedded.StopAsync();
}
