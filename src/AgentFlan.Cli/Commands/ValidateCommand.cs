using AgentFlan.Recipes;

namespace AgentFlan.Cli.Commands;

/// <summary>`agentflan validate`: every diagnostic of every recipe, in MSBuild's canonical format.</summary>
internal static class ValidateCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count == 0)
        {
            stderr.WriteLine("usage: agentflan validate <recipe.yaml>...");
            return 2;
        }

        int failed = 0;
        foreach (var path in args)
        {
            var result = RecipeLoader.Load(path);
            foreach (var diagnostic in result.Diagnostics)
            {
                stderr.WriteLine(diagnostic);
            }

            if (result.Recipe is { } recipe)
            {
                stdout.WriteLine($"{recipe.FilePath}: recipe '{recipe.Name}' is valid ({recipe.Sources.Count} source(s)).");
            }
            else
            {
                failed++;
            }
        }

        return failed == 0 ? 0 : 1;
    }
}
