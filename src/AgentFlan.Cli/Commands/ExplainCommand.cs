using AgentFlan.Compilation;
using AgentFlan.Recipes;

namespace AgentFlan.Cli.Commands;

/// <summary>`agentflan explain`: whether a recipe's compiled data is up to date, and if not, exactly why.</summary>
internal static class ExplainCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        string? recipePath = null, output = null;
        var overrides = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Count:
                    output = args[++i];
                    break;
                case "--set" when i + 1 < args.Count:
                    overrides.Add(args[++i]);
                    break;
                case { } a when !a.StartsWith('-') && recipePath is null:
                    recipePath = a;
                    break;
                default:
                    stderr.WriteLine($"agentflan explain: unexpected argument '{args[i]}'.");
                    return 2;
            }
        }

        if (recipePath is null)
        {
            stderr.WriteLine("usage: agentflan explain <recipe.yaml> [--out <data dir>] [--set path=value]...");
            return 2;
        }

        var loaded = RecipeLoader.Load(recipePath, string.Join(';', overrides));
        foreach (var diagnostic in loaded.Diagnostics)
        {
            stderr.WriteLine(diagnostic);
        }

        if (loaded.Recipe is not { } recipe)
        {
            return 1;
        }

        output ??= DefaultDataDirectory(recipe);
        var reasons = RebuildExplanation.Explain(recipe, Path.Combine(output, RecipeCompiler.ManifestFileName));
        stdout.WriteLine(RebuildExplanation.Summary(recipe, reasons));
        foreach (var reason in reasons)
        {
            stdout.WriteLine($"  - {reason}");
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
