using System.Text.RegularExpressions;

namespace Marketplace.UnitTests.Architecture;

/// <summary>
/// The transaction rule of docs/adr/0013: the pipeline's TransactionBehaviour opens the one transaction a
/// command runs in, so no use case opens its own, and code shared by handlers adds to the context without
/// saving on a handler's behalf. The demo-world seeders are not use cases and keep their own transactions.
/// </summary>
public class TransactionRuleTests
{
    private static readonly string Application = Path.Combine(RepositoryRoot(), "src", "Marketplace.Application");

    private static IEnumerable<string> Sources(params string[] except) =>
        Directory.EnumerateFiles(Application, "*.cs", SearchOption.AllDirectories)
            .Where(f => !except.Any(e => f.Contains(Path.DirectorySeparatorChar + e + Path.DirectorySeparatorChar, StringComparison.Ordinal)));

    [Fact]
    public void Only_the_transaction_behaviour_opens_a_transaction()
    {
        var opening = Sources("DemoWorld", "Migrations", "bin", "obj")
            .Where(f => Regex.IsMatch(File.ReadAllText(f), @"\bBeginTransaction(Async)?\s*\("))
            .Select(Path.GetFileName).ToList();
        Assert.Equal(["TransactionBehaviour.cs"], opening);
    }

    [Fact]
    public void Shared_helpers_do_not_save_for_the_handler()
    {
        var features = Path.Combine(Application, "Features");
        var saving = Sources("DemoWorld", "Migrations", "bin", "obj")
            .Where(f => Regex.IsMatch(File.ReadAllText(f), @"\bSaveChanges(Async)?\s*\("))
            .Where(f => !f.StartsWith(features, StringComparison.Ordinal) || !Regex.IsMatch(File.ReadAllText(f), @"\bclass Handler\b"))
            .Select(Path.GetFileName).ToList();
        // Availability.SaveSlotsAsync is the confirming handler's own save, named for the 409 it maps.
        Assert.Equal(["Availability.cs"], saving);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Marketplace.sln"))) return dir.FullName;
        throw new InvalidOperationException("Marketplace.sln not found above " + AppContext.BaseDirectory);
    }
}
