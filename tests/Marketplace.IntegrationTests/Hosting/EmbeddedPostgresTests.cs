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
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // unix sockets, file modes and OS users
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

        await using (var app = new MarketplaceApp(postgres.ConnectionString, new TestClock(), postgres.OwnerConnectionString, postgres.MailDirectory)
            .WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(errors))))
        {
            using var client = app.CreateClient(); // starts the host: migrations run on start-up in Development
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        }

        Assert.Empty(errors.Entries);
    }

    [Fact]
    public async Task Another_OS_user_cannot_connect_to_the_embedded_database_even_with_its_password()
    {
        // Never skipped: a skipped test proves nothing. The test command runs as root (CI does; elsewhere
        // `sudo bash infra/test.sh`), which is also what lets it install PostgreSQL and Chromium.
        Assert.True(OsUsers.CanSwitchUsers,
            "This test runs psql as another OS user ('nobody'), which needs root and util-linux's setpriv: run the test command as root.");
        var root = NewRoot();
        await using var postgres = await EmbeddedPostgres.StartAsync(new EmbeddedPostgres.Options(root, Throwaway: true), NullLogger.Instance);
        var password = ReadPassword(postgres, EmbeddedPostgres.AppRole);

        // The same probe as the app's own OS user connects: the command itself works.
        var (connected, output) = await PsqlAsync(root, EmbeddedPostgres.AppRole, password, osUser: null);
        Assert.True(connected, output);

        foreach (var secret in new[] { password, null })
        {
            (connected, output) = await PsqlAsync(root, EmbeddedPostgres.AppRole, secret, osUser: "nobody");
            Assert.False(connected, output);
            Assert.Contains("Permission denied", output); // stopped by the folder's mode, before authentication
        }
        var (read, _) = await RunAsync("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", "cat", postgres.PasswordFile]);
        Assert.NotEqual(0, read);
    }

    [Fact]
    public async Task The_cluster_is_reached_only_through_its_owners_folder_and_only_with_a_password()
    {
        var root = NewRoot();
        await using var postgres = await EmbeddedPostgres.StartAsync(new EmbeddedPostgres.Options(root, Throwaway: true), NullLogger.Instance);

        await AssertPrivateAsync(postgres, root);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // left running by a killed process of the earlier version
    public async Task A_cluster_made_by_an_earlier_version_is_made_private_at_start(bool leftRunning)
    {
        var root = NewRoot();
        await MakeClusterAsAnEarlierVersionDidAsync(root, leftRunning);

        // Kept when stopped (not a throwaway) so that it can be started a second time below.
        await using var postgres = await EmbeddedPostgres.StartAsync(new EmbeddedPostgres.Options(root), NullLogger.Instance);

        await AssertPrivateAsync(postgres, root);
        await using (var conn = new NpgsqlConnection(postgres.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT note FROM kept", conn);
            Assert.Equal("made before the upgrade", await cmd.ExecuteScalarAsync()); // the data is still there
        }
        if (OsUsers.CanSwitchUsers)
        {
            var (after, output) = await PsqlAsync(root, EmbeddedPostgres.SuperuserRole, null, osUser: "nobody");
            Assert.False(after, output);
        }

        // A second start finds it private and changes nothing: the same passwords still work.
        await postgres.StopAsync();
        var passwords = await File.ReadAllTextAsync(postgres.PasswordFile);
        var warnings = new ErrorLog(LogLevel.Warning);
        var again = await EmbeddedPostgres.StartAsync(new EmbeddedPostgres.Options(root, Throwaway: true), warnings.CreateLogger("start"));
        try
        {
            Assert.Empty(warnings.Entries);
            Assert.Equal(passwords, await File.ReadAllTextAsync(again.PasswordFile));
            await AssertPrivateAsync(again, root);
        }
        finally
        {
            await again.StopAsync();
        }
    }

    private const string NoPasswordFile = "/nonexistent/pgpass";

    private static string NewRoot() => Path.Combine(Path.GetTempPath(), "mkt-pg-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>What the cluster must look like at every start: modes, settings, passwords, and no way in without one.</summary>
    private static async Task AssertPrivateAsync(EmbeddedPostgres postgres, string root)
    {
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(ownerOnly, File.GetUnixFileMode(root)); // the socket's folder
        Assert.Equal(ownerOnly, File.GetUnixFileMode(postgres.DataDirectory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(postgres.PasswordFile));
        Assert.StartsWith(root, postgres.PasswordFile);
        var (_, owner) = await RunAsync("stat", ["-c", "%U", postgres.PasswordFile]);
        Assert.Equal(Environment.UserName, owner.Trim()); // the app's user, not the server's
        Assert.DoesNotContain("trust", await File.ReadAllTextAsync(Path.Combine(postgres.DataDirectory, "pg_hba.conf")));

        await using (var conn = new NpgsqlConnection(postgres.SuperuserConnectionString))
        {
            await conn.OpenAsync();
            async Task<string> Ask(string sql)
            {
                await using var cmd = new NpgsqlCommand(sql, conn);
                return (string)(await cmd.ExecuteScalarAsync())!;
            }
            Assert.Equal("", await Ask("SHOW listen_addresses")); // no TCP listener
            Assert.Equal("0700", await Ask("SHOW unix_socket_permissions"));
            Assert.Equal("scram-sha-256", await Ask("SHOW password_encryption"));
            Assert.Equal("local all scram-sha-256", await Ask(
                "SELECT string_agg(DISTINCT type || ' ' || array_to_string(user_name, ',') || ' ' || auth_method, '; ') FROM pg_hba_file_rules"));
            Assert.Equal("marketplace_app marketplace_owner postgres", await Ask(
                "SELECT string_agg(rolname, ' ' ORDER BY rolname) FROM pg_authid WHERE rolname IN ('postgres', 'marketplace_app', 'marketplace_owner') AND rolpassword LIKE 'SCRAM-SHA-256$%'"));
        }

        foreach (var role in new[] { EmbeddedPostgres.SuperuserRole, EmbeddedPostgres.OwnerRole, EmbeddedPostgres.AppRole })
        {
            foreach (var password in new string?[] { null, "not-the-password" })
            {
                var attempt = new NpgsqlConnectionStringBuilder(postgres.ConnectionString)
                    { Username = role, Password = password, Pooling = false }.ConnectionString;
                await using var conn = new NpgsqlConnection(attempt);
                var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => conn.OpenAsync());
                if (password is not null) Assert.Equal("28P01", Assert.IsType<PostgresException>(refused).SqlState); // invalid_password
            }
        }
    }

    private static string ReadPassword(EmbeddedPostgres postgres, string role) =>
        File.ReadAllLines(postgres.PasswordFile).Select(l => l.Split(':')).Single(p => p.Length == 5 && p[3] == role)[4];

    /// <summary>As the code before the private settings made a cluster: trust authentication, a folder others could enter, roles without passwords.</summary>
    private static async Task MakeClusterAsAnEarlierVersionDidAsync(string root, bool leftRunning)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().Last();
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        File.SetUnixFileMode(root, (UnixFileMode)Convert.ToInt32("755", 8));
        if (OsUsers.IsRoot)
        {
            for (var dir = Path.GetDirectoryName(root); !string.IsNullOrEmpty(dir) && dir != "/"; dir = Path.GetDirectoryName(dir))
                File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | UnixFileMode.OtherExecute);
            await CheckedAsync("chown", ["postgres:postgres", root]);
        }
        await AsServerUserAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]);
        await AsServerUserAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(root, "postgres.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses='' -k {root} -c fsync=off", "start"]);
        var superuser = $"Host={root};Port=5432;Username=postgres;Database=postgres;Pooling=false";
        foreach (var sql in new[] { "CREATE ROLE marketplace_owner LOGIN", "CREATE ROLE marketplace_app LOGIN", "CREATE DATABASE marketplace OWNER marketplace_owner" })
            await ExecAsync(superuser, sql);
        await ExecAsync($"Host={root};Port=5432;Username=marketplace_owner;Database=marketplace;Pooling=false",
            "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('made before the upgrade'); GRANT SELECT ON kept TO marketplace_app");
        if (OsUsers.CanSwitchUsers)
        {
            // The hole being closed: any local user was the superuser, without a password.
            var (before, output) = await PsqlAsync(root, EmbeddedPostgres.SuperuserRole, null, osUser: "nobody");
            Assert.True(before, output);
        }
        if (!leftRunning) await AsServerUserAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);

        static async Task ExecAsync(string connectionString, string sql)
        {
            await using var conn = new NpgsqlConnection(connectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    private static Task AsServerUserAsync(string exe, IReadOnlyList<string> args) => OsUsers.IsRoot
        ? CheckedAsync("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", exe, .. args])
        : CheckedAsync(exe, args);

    private static async Task CheckedAsync(string file, IReadOnlyList<string> args)
    {
        var (code, output) = await RunAsync(file, args);
        Assert.True(code == 0, $"{file} {string.Join(' ', args)}: {output}");
    }

    /// <summary>psql as the given OS user (null: this process's), never prompting and reading no password file or psqlrc.</summary>
    private static async Task<(bool Connected, string Output)> PsqlAsync(string socketDirectory, string role, string? password, string? osUser)
    {
        var psql = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "psql")).Where(File.Exists).Order().Last();
        string[] args = ["-X", "-w", "-At", "-h", socketDirectory, "-p", "5432", "-U", role, "-d", "postgres", "-c", "SELECT 'connected as ' || current_user"];
        var env = new Dictionary<string, string?> { ["PGPASSWORD"] = password, ["PGPASSFILE"] = NoPasswordFile, ["HOME"] = "/nonexistent" };
        var (code, output) = osUser is null
            ? await RunAsync(psql, args, env)
            : await RunAsync("setpriv", [$"--reuid={osUser}", "--regid=nogroup", "--clear-groups", "--", psql, .. args], env);
        return (code == 0 && output.Contains($"connected as {role}"), output);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? env = null)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (key, value) in env ?? new Dictionary<string, string?>())
            if (value is null) psi.Environment.Remove(key); else psi.Environment[key] = value;
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Whether this process may act as other OS users (root, with util-linux's setpriv).</summary>
    private static class OsUsers
    {
        public static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

        public static bool CanSwitchUsers => IsRoot && File.Exists("/usr/bin/setpriv");

        [System.Runtime.InteropServices.DllImport("libc")]
        private static extern uint geteuid();
    }

    private sealed class ErrorLog(LogLevel from = LogLevel.Error) : ILoggerProvider
    {
        public ConcurrentQueue<string> Entries { get; } = new();
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries, from);
        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> entries, LogLevel from) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= from;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) entries.Enqueue($"{category}[{eventId.Id}]: {formatter(state, exception)}");
            }
        }
    }
}
