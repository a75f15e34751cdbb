using System.Reflection;
using System.Text.RegularExpressions;
using Mediator;

namespace Marketplace.UnitTests.Architecture;

/// <summary>
/// The layout rules of docs/adr/0013: the domain stays free of persistence and web frameworks, and every
/// use case is found by its name in a file of that name (one use case per file, no action switches).
/// </summary>
public class LayoutTests
{
    private static readonly Assembly Domain = typeof(Marketplace.Domain.Organisations.Urn).Assembly;
    private static readonly Assembly Application = typeof(Marketplace.Application.DependencyInjection).Assembly;

    [Fact]
    public void The_domain_references_no_EF_Core_ASP_NET_Core_or_Npgsql()
    {
        var forbidden = new[] { "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Npgsql" };
        var references = Domain.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("System.Runtime", references); // the check reads real references
        Assert.DoesNotContain(references, r => forbidden.Any(f => r.StartsWith(f, StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_command_and_query_is_nested_in_a_static_class_named_as_its_file()
    {
        var messages = Application.GetTypes()
            .Where(t => !t.IsAbstract && (typeof(IBaseCommand).IsAssignableFrom(t) || typeof(IBaseQuery).IsAssignableFrom(t)))
            .ToList();
        Assert.NotEmpty(messages);

        var features = Path.Combine(RepositoryRoot(), "src", "Marketplace.Application", "Features");
        var files = Directory.EnumerateFiles(features, "*.cs", SearchOption.AllDirectories)
            .ToLookup(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var message in messages)
        {
            var useCase = message.DeclaringType;
            if (useCase is null || !(useCase.IsAbstract && useCase.IsSealed))
            {
                problems.Add($"{message.FullName} is not nested in a static use-case class");
                continue;
            }
            if (message.Name is not ("Command" or "Query"))
                problems.Add($"{message.FullName} should be called Command or Query");
            var file = files[useCase.Name].SingleOrDefault();
            if (file is null || !Regex.IsMatch(File.ReadAllText(file), $@"\bstatic class {Regex.Escape(useCase.Name)}\b"))
                problems.Add($"{useCase.Name} is not declared in Features/**/{useCase.Name}.cs");
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void A_use_case_file_holds_one_use_case_and_no_action_switch()
    {
        var features = Path.Combine(RepositoryRoot(), "src", "Marketplace.Application", "Features");
        var problems = new List<string>();
        foreach (var file in Directory.EnumerateFiles(features, "*.cs", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            var messages = Regex.Matches(text, @"\brecord (Command|Query)\b").Count;
            if (messages > 1) problems.Add($"{Path.GetFileName(file)} holds {messages} commands or queries");
            if (messages == 1 && Regex.IsMatch(text, @"\benum (Kind|Action)\b"))
                problems.Add($"{Path.GetFileName(file)} picks its action with an enum");
        }
        Assert.Empty(problems);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Marketplace.sln"))) return dir.FullName;
        throw new InvalidOperationException("Marketplace.sln not found above " + AppContext.BaseDirectory);
    }
}
