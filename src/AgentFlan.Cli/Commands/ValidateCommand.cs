using AgentFlan.Recipes;

namespace AgentFlan.Cli.Commands;

/// <summary>
/// `agentflan validate`: every diagnostic of every recipe, in MSBuild's canonical format; with
/// <c>--resolved</c>, the recipe after <c>extends</c>, defaults and <c>--set</c> overrides, as JSON.
/// </summary>
internal static class ValidateCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var recipes = new List<string>();
        var overrides = new List<string>();
        bool resolved = false;
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--resolved":
                    resolved = true;
                    break;
                case "--set" when i + 1 < args.Count:
                    overrides.Add(args[++i]);
                    break;
                case { } flag when flag.StartsWith('-'):
                    stderr.WriteLine($"agentflan validate: unknown option '{flag}'.");
                    return 2;
                default:
                    recipes.Add(args[i]);
                    break;
            }
        }

        if (recipes.Count == 0)
        {
            stderr.WriteLine("usage: agentflan validate <recipe.yaml>... [--resolved] [--set path=value]...");
            return 2;
        }

        int failed = 0;
        foreach (var path in recipes)
        {
            var result = RecipeLoader.Load(path, string.Join(';', overrides));
            foreach (var diagnostic in result.Diagnostics)
            {
                stderr.WriteLine(diagnostic);
            }

            if (result.Recipe is not { } recipe)
            {
                failed++;
                continue;
            }

            stdout.WriteLine(resolved
                ? RecipeFingerprint.Resolved(recipe)
                : $"{recipe.FilePath}: recipe '{recipe.Name}' is valid ({recipe.Sources.Count} source(s)).");
        }

        return failed == 0 ? 0 : 1;
    }
}
