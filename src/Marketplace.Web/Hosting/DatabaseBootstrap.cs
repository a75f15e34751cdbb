using Marketplace.Application.Data;
using Marketplace.Application.DemoWorld;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Hosting;

/// <summary>
/// Decides which database the host uses and prepares it. With ConnectionStrings:Marketplace set, that
/// database is used and nothing is started. Without it, outside Production, a private embedded
/// PostgreSQL cluster is started (and stopped with the host). Production never starts one, never seeds,
/// and migrates only through the explicit `migrate` verb.
/// </summary>
public static class DatabaseBootstrap
{
    public const string ConnectionStringName = "Marketplace";

    public static async Task<(string ConnectionString, EmbeddedPostgres? Embedded)> ResolveAsync(
        IConfiguration configuration, IHostEnvironment environment, ILogger logger)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured)) return (configured, null);

        if (environment.IsProduction())
            throw new InvalidOperationException(
                "No database configured. Set ConnectionStrings__Marketplace; Production never starts an embedded PostgreSQL.");

        var root = configuration["EmbeddedPostgres:RootDirectory"];
        var embedded = await EmbeddedPostgres.StartAsync(
            new EmbeddedPostgres.Options(string.IsNullOrWhiteSpace(root) ? EmbeddedPostgres.DefaultRootDirectory() : root),
            logger);
        logger.LogInformation("Using the embedded PostgreSQL in {Directory}", embedded.DataDirectory);
        return (embedded.ConnectionString, embedded);
    }

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        await db.Database.MigrateAsync(ct);
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
