using AgentFlan.Compilation;
using AgentFlan.Recipes;

namespace AgentFlan.Cli.Commands;

/// <summary>`agentflan explain`: whether a recipe's compiled data is up to date, and if not, exactly why.</summary>
internal static class ExplainCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (RecipeArguments.Parse("explain", args, stderr) is not { } arguments)
        {
            return 2;
        }

        if (arguments.Load(stderr) is not { } recipe)
        {
            return 1;
        }

        var output = arguments.Output ?? DefaultDataDirectory(recipe);
        var manifest = Path.Combine(output, RecipeCompiler.ManifestFileName);
        var reasons = RebuildExplanation.Explain(recipe, manifest);
        stdout.WriteLine(RebuildExplanation.Summary(recipe, reasons));
        foreach (var reason in reasons)
        {
            stdout.WriteLine($"  - {reason}");
        }

        var cache = CacheCommand.DefaultDirectory();
        stdout.WriteLine($"stages (cache {cache}):");
        foreach (var stage in RebuildExplanation.Stages(recipe, cache, manifest))
        {
            stdout.WriteLine($"  - {stage}");
        }

        return 0;
    }

    /// <summary>Where the build puts a recipe's data: the repository's artifacts/ for recipes/, else next to the recipe.</summary>
    internal static string DefaultDataDirectory(Recipe recipe)
    {
        for (var directory = new DirectoryInfo(recipe.Directory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AgentFlan.Build.sln")))
            {
                return Path.Combine(directory.FullName, "artifacts", recipe.Name, "data");
            }
        }

        return Path.Combine(recipe.Directory, "artifacts", recipe.Name, "data");
    }
}
