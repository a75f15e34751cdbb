using System.Diagnostics;
using Npgsql;

namespace Marketplace.Web.Hosting;

/// <summary>
/// A private PostgreSQL cluster run from the machine's own binaries (Debian's postgresql package),
/// listening only on a unix socket inside its data folder so it never clashes with another server's
/// port. PostgreSQL refuses to run as root, so when we are root the server runs as the 'postgres' OS
/// user. Used by the embedded default of `dotnet run` and, with <see cref="Options.Throwaway"/>, by the
/// tests and benchmarks. It sets up the database roles of ADR 0015: the database and its objects belong
/// to <see cref="OwnerRole"/>, which runs the migrations; the app connects as <see cref="AppRole"/>,
/// which can change the ledger only through the ledger functions. The superuser 'postgres' is used only
/// here, to create the roles and the database.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    public sealed record Options(string RootDirectory, bool Throwaway = false, string Database = "marketplace");

    private readonly Options _options;
    private readonly string _binDir;
    private readonly bool _asPostgresUser;
    private readonly ILogger _logger;
    private bool _legacy;
    private int _stopped;

    /// <summary>Owns the schema and runs the migrations.</summary>
    public const string OwnerRole = "marketplace_owner";

    /// <summary>The app's login: reads everything, writes the ledger only through its functions.</summary>
    public const string AppRole = "marketplace_app";

    private EmbeddedPostgres(Options options, string binDir, bool asPostgresUser, ILogger logger)
    {
        _options = options;
        _binDir = binDir;
        _asPostgresUser = asPostgresUser;
        _logger = logger;
    }

    public string DataDirectory => Path.Combine(_options.RootDirectory, "data");
    public string SocketDirectory => _options.RootDirectory;

    /// <summary>The app's connection (the restricted <see cref="AppRole"/>).</summary>
    public string ConnectionString => Connect(_legacy ? "postgres" : AppRole, _options.Database);

    /// <summary>The owner's connection: for migrations and for deliberate resets in tests, never for the running app.</summary>
    public string OwnerConnectionString => Connect(_legacy ? "postgres" : OwnerRole, _options.Database);

    /// <summary>
    /// The superuser's connection to the database: for what only a superuser may do, such as a test reset
    /// that switches triggers off (session_replication_role). Never the app's or the migrations'.
    /// </summary>
    public string SuperuserConnectionString => Connect("postgres", _options.Database);

    private string Connect(string user, string database) => new NpgsqlConnectionStringBuilder
    {
        Host = SocketDirectory,
        Port = 5432,
        Username = user,
        Database = database,
    }.ConnectionString;

    public static string DefaultRootDirectory() =>
        Environment.UserName == "root" || IsRoot()
            ? "/var/lib/marketplace/embedded-postgres"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "marketplace", "embedded-postgres");

    public static async Task<EmbeddedPostgres> StartAsync(Options options, ILogger logger, CancellationToken ct = default)
    {
        var asRoot = IsRoot();
        var binDir = FindBinDirectory() ?? await InstallPostgresAsync(asRoot, logger, ct);
        if (asRoot) await EnsurePostgresUserAsync(ct);

        var pg = new EmbeddedPostgres(options, binDir, asRoot, logger);
        await pg.StartClusterAsync(ct);
        await pg.EnsureDatabaseAsync(ct);
        return pg;
    }

    private static bool IsRoot() => OperatingSystem.IsLinux() && geteuid() == 0;

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();

    private static string? FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root)) return null;
        return Directory.GetDirectories(root)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            .Where(x => File.Exists(Path.Combine(x.Dir, "initdb")) && File.Exists(Path.Combine(x.Dir, "pg_ctl")))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Dir)
            .FirstOrDefault();
    }

    private static async Task<string> InstallPostgresAsync(bool asRoot, ILogger logger, CancellationToken ct)
    {
        if (!asRoot)
            throw new InvalidOperationException(
                "PostgreSQL is not installed. Install it with 'sudo apt-get install -y postgresql', or set ConnectionStrings__Marketplace to an existing database.");
        logger.LogWarning("PostgreSQL binaries not found: installing Debian's postgresql package (this takes a minute)");
        await RunAsync("apt-get", ["update", "-qq"], null, ct, noninteractive: true);
        await RunAsync("apt-get", ["install", "-y", "-qq", "postgresql"], null, ct, noninteractive: true);
        return FindBinDirectory() ?? throw new InvalidOperationException("Installed postgresql but found no initdb under /usr/lib/postgresql.");
    }

    private static async Task EnsurePostgresUserAsync(CancellationToken ct)
    {
        var (code, _) = await RunAsync("id", ["-u", "postgres"], null, ct, check: false);
        if (code != 0) await RunAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"], null, ct);
    }

    private async Task StartClusterAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(_options.RootDirectory);
        if (_asPostgresUser && !OperatingSystem.IsWindows())
        {
            // Every parent must be traversable by the postgres user; the root folder is its own.
            for (var dir = _options.RootDirectory; !string.IsNullOrEmpty(dir) && dir != "/"; dir = Path.GetDirectoryName(dir)!)
            {
                var mode = File.GetUnixFileMode(dir);
                if (!mode.HasFlag(UnixFileMode.OtherExecute)) File.SetUnixFileMode(dir, mode | UnixFileMode.OtherExecute);
            }
            await RunAsync("chown", ["postgres:postgres", _options.RootDirectory], null, ct);
        }

        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            _logger.LogInformation("Creating embedded PostgreSQL cluster in {Directory}", DataDirectory);
            var initArgs = new List<string> { "-D", DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8" };
            if (_options.Throwaway) initArgs.Add("--no-sync");
            await RunPgAsync("initdb", initArgs, ct);
        }

        var (status, _) = await RunPgAsync("pg_ctl", ["-D", DataDirectory, "status"], ct, check: false);
        if (status == 0)
        {
            _logger.LogInformation("Embedded PostgreSQL already running in {Directory}; reusing it", DataDirectory);
            return;
        }

        var serverOptions = $"-c listen_addresses='' -k {SocketDirectory} -c max_connections=200";
        // Durability settings are relaxed only for clusters that are thrown away after the run.
        if (_options.Throwaway) serverOptions += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        _logger.LogInformation("Starting embedded PostgreSQL ({Bin})", _binDir);
        await RunPgAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_options.RootDirectory, "postgres.log"), "-w", "-t", "60", "-o", serverOptions, "start"], ct);
    }

    private async Task EnsureDatabaseAsync(CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(Connect("postgres", "postgres")) { Pooling = false }.ConnectionString;
        await using var conn = new NpgsqlConnection(admin);
        await conn.OpenAsync(ct);
        // Trust authentication on a private unix socket: the roles need no passwords here.
        await using (var roles = new NpgsqlCommand($$"""
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{{OwnerRole}}') THEN CREATE ROLE {{OwnerRole}} LOGIN; END IF;
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{{AppRole}}') THEN CREATE ROLE {{AppRole}} LOGIN; END IF;
            END $$
            """, conn))
            await roles.ExecuteNonQueryAsync(ct);
        await using var owner = new NpgsqlCommand("SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = @name", conn);
        owner.Parameters.AddWithValue("name", _options.Database);
        var name = $"\"{_options.Database.Replace("\"", "\"\"")}\"";
        switch (await owner.ExecuteScalarAsync(ct))
        {
            case null:
                await using (var create = new NpgsqlCommand($"CREATE DATABASE {name} OWNER {OwnerRole}", conn))
                    await create.ExecuteNonQueryAsync(ct);
                break;
            case OwnerRole:
                break;
            default:
                // Made before the roles existed (its tables belong to postgres): keep working as before.
                _legacy = true;
                _logger.LogWarning(
                    "The embedded database in {Directory} was created before the database roles (ADR 0015) and the app connects to it as the superuser; " +
                    "stop the app and delete that folder to recreate it with a restricted app role", DataDirectory);
                break;
        }
    }

    /// <summary>Stops the cluster (and deletes a throwaway one). Safe to call more than once, from any working directory.</summary>
    public async Task StopAsync()
    {
        // A benchmark stops it on dispose and again from its process-exit handler, after the folder is gone.
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        NpgsqlConnection.ClearAllPools();
        var mode = _options.Throwaway ? "immediate" : "fast";
        await RunPgAsync("pg_ctl", ["-D", DataDirectory, "-m", mode, "-w", "-t", "60", "stop"], CancellationToken.None, check: false);
        if (_options.Throwaway)
        {
            try { Directory.Delete(_options.RootDirectory, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private Task<(int, string)> RunPgAsync(string tool, IReadOnlyList<string> args, CancellationToken ct, bool check = true)
    {
        var exe = Path.Combine(_binDir, tool);
        return _asPostgresUser
            ? RunAsync("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", exe, .. args], _options.RootDirectory, ct, check)
            : RunAsync(exe, args, _options.RootDirectory, ct, check);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyList<string> args, string? workingDirectory,
        CancellationToken ct, bool check = true, bool noninteractive = false)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // A folder that has been removed cannot be a child's working directory.
            WorkingDirectory = workingDirectory is not null && Directory.Exists(workingDirectory) ? workingDirectory : "/",
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (noninteractive) psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}");
        // pg_ctl start leaves the server holding inherited pipes; read without waiting for EOF forever.
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var output = (await stdout) + (await stderr);
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} failed ({process.ExitCode}): {output.Trim()}");
        return (process.ExitCode, output);
    }
}
