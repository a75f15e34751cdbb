using System.Diagnostics;
using Npgsql;

namespace Marketplace.Web.Hosting;

/// <summary>
/// A private PostgreSQL cluster run from the machine's own binaries (Debian's postgresql package),
/// listening only on a unix socket inside its own folder, so it never clashes with another server's port
/// and no other local user can reach it: the folder (which holds the socket, the data folder and the mail
/// pickup folder) and the socket are the owner's alone (0700), there is no TCP listener, and every
/// connection needs its role's password (scram-sha-256), generated at first start and kept in
/// <see cref="PasswordFile"/> (0600, the app's user's). A cluster made by an earlier version (trust
/// authentication, a folder others could enter, no passwords) is brought to the same settings at start.
/// PostgreSQL refuses to run as root, so when we are root the server runs as the 'postgres' OS user (the
/// app, as root, still reaches the socket and keeps the password file to itself). Used by the embedded
/// default of `dotnet run` and, with <see cref="Options.Throwaway"/>, by the tests and benchmarks. It sets
/// up the database roles of ADR 0015: the database and its objects belong to <see cref="OwnerRole"/>,
/// which runs the migrations; the app connects as <see cref="AppRole"/>, which can change the ledger only
/// through the ledger functions. The superuser <see cref="SuperuserRole"/> is used only here (and by the
/// tests' reset), to create the roles and the database.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    public sealed record Options(string RootDirectory, bool Throwaway = false, string Database = "marketplace");

    private readonly Options _options;
    private readonly string _binDir;
    private readonly bool _asPostgresUser;
    private readonly ILogger _logger;
    private IReadOnlyDictionary<string, string> _passwords = new Dictionary<string, string>();
    private bool _legacy;
    private int _stopped;

    /// <summary>Owns the schema and runs the migrations.</summary>
    public const string OwnerRole = "marketplace_owner";

    /// <summary>The app's login: reads everything, writes the ledger only through its functions.</summary>
    public const string AppRole = "marketplace_app";

    /// <summary>The cluster's superuser (initdb's), for creating the roles and the database only.</summary>
    public const string SuperuserRole = "postgres";

    private static readonly string[] Roles = [SuperuserRole, OwnerRole, AppRole];

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// The whole of pg_hba.conf: unix-socket connections only (there is no TCP listener), each with its
    /// role's password. No 'trust' and no 'peer': the app runs as root or as the server's own user, and
    /// a password is what tells it apart from anyone else who might reach the socket.
    /// </summary>
    internal const string HbaConf = """
        # Written by the Marketplace app at every start (ADR 0003); changes here are put back.
        # Only the unix socket in this cluster's own folder (mode 0700), and every role needs its password.
        # TYPE  DATABASE  USER  METHOD
        local   all       all   scram-sha-256

        """;

    private EmbeddedPostgres(Options options, string binDir, bool asPostgresUser, ILogger logger)
    {
        _options = options;
        _binDir = binDir;
        _asPostgresUser = asPostgresUser;
        _logger = logger;
    }

    public string DataDirectory => Path.Combine(_options.RootDirectory, "data");
    public string SocketDirectory => _options.RootDirectory;

    /// <summary>The roles' passwords, one pgpass line each (`*:*:*:role:password`), readable by the app's user only.</summary>
    public string PasswordFile => Path.Combine(_options.RootDirectory, "passwords.pgpass");

    /// <summary>This instance's mail pickup folder, beside its data: never shared with another instance.</summary>
    public string MailDirectory => Path.Combine(_options.RootDirectory, "mail");

    /// <summary>The app's connection (the restricted <see cref="AppRole"/>).</summary>
    public string ConnectionString => Connect(_legacy ? SuperuserRole : AppRole, _options.Database);

    /// <summary>The owner's connection: for migrations and for deliberate resets in tests, never for the running app.</summary>
    public string OwnerConnectionString => Connect(_legacy ? SuperuserRole : OwnerRole, _options.Database);

    /// <summary>
    /// The superuser's connection to the database: for what only a superuser may do, such as a test reset
    /// that switches triggers off (session_replication_role). Never the app's or the migrations'.
    /// </summary>
    public string SuperuserConnectionString => Connect(SuperuserRole, _options.Database);

    private string Connect(string user, string database) => new NpgsqlConnectionStringBuilder
    {
        Host = SocketDirectory,
        Port = 5432,
        Username = user,
        Password = _passwords.GetValueOrDefault(user),
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
        await PrepareRootDirectoryAsync(ct);

        var existed = File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));
        if (!existed)
        {
            _logger.LogInformation("Creating embedded PostgreSQL cluster in {Directory}", DataDirectory);
            // initdb's own trust entries never serve a connection: pg_hba.conf and the passwords are
            // replaced below, before the server first starts.
            var initArgs = new List<string> { "-D", DataDirectory, "-U", SuperuserRole, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8" };
            if (_options.Throwaway) initArgs.Add("--no-sync");
            await RunPgAsync("initdb", initArgs, ct);
        }

        var passwords = ReadPasswordFile();
        var isPrivate = passwords is not null && IsHbaOurs() && AreSettingsOurs();
        var (status, _) = await RunPgAsync("pg_ctl", ["-D", DataDirectory, "status"], ct, check: false);
        if (status == 0 && isPrivate)
        {
            _passwords = passwords!;
            _logger.LogInformation("Embedded PostgreSQL already running in {Directory}; reusing it", DataDirectory);
            return;
        }
        if (status == 0)
        {
            _logger.LogWarning("Embedded PostgreSQL in {Directory} is running with settings of an earlier version: restarting it with private settings", DataDirectory);
            await RunPgAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], ct);
        }
        if (!isPrivate)
        {
            if (existed)
                _logger.LogWarning("Bringing the embedded PostgreSQL in {Directory} to private settings: socket and folder for its owner only, " +
                    "a password for every role (scram-sha-256)", DataDirectory);
            await MakePrivateAsync(passwords, ct);
        }
        else _passwords = passwords!;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(DataDirectory, OwnerOnly);

        var serverOptions = $"-c listen_addresses='' -k {SocketDirectory} -c max_connections=200";
        // Durability settings are relaxed only for clusters that are thrown away after the run.
        if (_options.Throwaway) serverOptions += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        _logger.LogInformation("Starting embedded PostgreSQL ({Bin})", _binDir);
        await RunPgAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_options.RootDirectory, "postgres.log"), "-w", "-t", "60", "-o", serverOptions, "start"], ct);
    }

    /// <summary>The root folder holds the socket: it is the server's OS user's alone (0700). As root, every parent is made traversable (not readable) for that user.</summary>
    private async Task PrepareRootDirectoryAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(_options.RootDirectory);
        if (OperatingSystem.IsWindows()) return;
        if (_asPostgresUser)
        {
            for (var dir = Path.GetDirectoryName(Path.GetFullPath(_options.RootDirectory)); !string.IsNullOrEmpty(dir) && dir != "/"; dir = Path.GetDirectoryName(dir))
            {
                var mode = File.GetUnixFileMode(dir);
                if (!mode.HasFlag(UnixFileMode.OtherExecute)) File.SetUnixFileMode(dir, mode | UnixFileMode.OtherExecute);
            }
            await RunAsync("chown", ["postgres:postgres", _options.RootDirectory], null, ct);
        }
        File.SetUnixFileMode(_options.RootDirectory, OwnerOnly);
    }

    /// <summary>The server's settings that keep it private, as ALTER SYSTEM writes them to postgresql.auto.conf.</summary>
    private IReadOnlyDictionary<string, string> PrivateSettings() => new Dictionary<string, string>
    {
        ["listen_addresses"] = "",
        ["unix_socket_directories"] = SocketDirectory,
        ["unix_socket_permissions"] = "0700",
        ["password_encryption"] = "scram-sha-256",
    };

    private bool IsHbaOurs()
    {
        var path = Path.Combine(DataDirectory, "pg_hba.conf");
        return File.Exists(path) && File.ReadAllText(path) == HbaConf;
    }

    private bool AreSettingsOurs()
    {
        var path = Path.Combine(DataDirectory, "postgresql.auto.conf");
        if (!File.Exists(path)) return false;
        var settings = new Dictionary<string, string>();
        foreach (var line in File.ReadAllLines(path))
        {
            var m = System.Text.RegularExpressions.Regex.Match(line, @"^\s*(\w+)\s*=\s*'((?:[^']|'')*)'\s*$");
            // ALTER SYSTEM writes a list setting's items double-quoted: unix_socket_directories = '"/path"'.
            if (m.Success) settings[m.Groups[1].Value] = m.Groups[2].Value.Replace("''", "'").Trim('"');
        }
        return PrivateSettings().All(s => settings.TryGetValue(s.Key, out var v) && v == s.Value);
    }

    /// <summary>The roles' passwords from <see cref="PasswordFile"/>, or null when it is missing or incomplete. A file others could read is made the owner's again.</summary>
    private Dictionary<string, string>? ReadPasswordFile()
    {
        if (!File.Exists(PasswordFile)) return null;
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(PasswordFile) != OwnerReadWrite)
        {
            _logger.LogWarning("The embedded PostgreSQL's password file {File} could be read by others: made readable by its owner only", PasswordFile);
            File.SetUnixFileMode(PasswordFile, OwnerReadWrite);
        }
        var passwords = new Dictionary<string, string>();
        foreach (var line in File.ReadAllLines(PasswordFile))
        {
            var parts = line.Split(':');
            if (parts.Length == 5 && !line.StartsWith('#') && parts[4].Length > 0) passwords[parts[3]] = parts[4];
        }
        return Roles.All(passwords.ContainsKey) ? passwords : null;
    }

    private void WritePasswordFile(IReadOnlyDictionary<string, string> passwords)
    {
        var text = "# The embedded PostgreSQL's passwords, generated at its first start (pgpass format: PGPASSFILE=this file psql ...).\n" +
            string.Concat(Roles.Select(r => $"*:*:*:{r}:{passwords[r]}\n"));
        // Created 0600 before a byte is written, then moved over the old file: never readable by others, never half-written.
        var temporary = PasswordFile + ".new";
        File.Delete(temporary);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = OwnerReadWrite;
        using (var stream = new FileStream(temporary, create))
        using (var writer = new StreamWriter(stream))
            writer.Write(text);
        File.Move(temporary, PasswordFile, overwrite: true);
    }

    /// <summary>
    /// With the server stopped: pg_hba.conf replaced, the private settings written with ALTER SYSTEM, and
    /// the roles created and given their passwords, in single-user mode (no connection, so no trust entry
    /// is ever needed). The passwords go in on standard input, never on a command line or in a log.
    /// </summary>
    private async Task MakePrivateAsync(Dictionary<string, string>? existing, CancellationToken ct)
    {
        if (existing is null)
        {
            existing = Roles.ToDictionary(r => r, _ => System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            WritePasswordFile(existing);
        }
        _passwords = existing;
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "pg_hba.conf"), HbaConf, ct);

        static string Literal(string value) => "'" + value.Replace("'", "''") + "'";
        var sql = new List<string> { "SET password_encryption = 'scram-sha-256'" };
        sql.AddRange(PrivateSettings().Select(s => $"ALTER SYSTEM SET {s.Key} = {Literal(s.Value)}"));
        sql.Add($"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OwnerRole}') THEN CREATE ROLE {OwnerRole} LOGIN; END IF; " +
            $"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{AppRole}') THEN CREATE ROLE {AppRole} LOGIN; END IF; END $$");
        sql.AddRange(Roles.Select(r => $"ALTER ROLE {r} LOGIN PASSWORD {Literal(existing[r])}"));
        // exit_on_error: any failed statement ends the run with a non-zero code; log_min_error_statement keeps
        // the statements (and so the passwords) out of the output.
        await RunPgAsync("postgres", ["--single", "-D", DataDirectory, "-c", "exit_on_error=on", "-c", "log_min_error_statement=panic", "postgres"], ct,
            input: string.Join('\n', sql) + "\n");
    }

    private async Task EnsureDatabaseAsync(CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(Connect(SuperuserRole, "postgres")) { Pooling = false }.ConnectionString;
        await using var conn = new NpgsqlConnection(admin);
        await conn.OpenAsync(ct);
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

    private Task<(int, string)> RunPgAsync(string tool, IReadOnlyList<string> args, CancellationToken ct, bool check = true, string? input = null)
    {
        var exe = Path.Combine(_binDir, tool);
        return _asPostgresUser
            ? RunAsync("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", exe, .. args], _options.RootDirectory, ct, check, input: input)
            : RunAsync(exe, args, _options.RootDirectory, ct, check, input: input);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyList<string> args, string? workingDirectory,
        CancellationToken ct, bool check = true, bool noninteractive = false, string? input = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
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
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), ct);
            process.StandardInput.Close();
        }
        await process.WaitForExitAsync(ct);
        var output = (await stdout) + (await stderr);
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} failed ({process.ExitCode}): {output.Trim()}");
        return (process.ExitCode, output);
    }
}
