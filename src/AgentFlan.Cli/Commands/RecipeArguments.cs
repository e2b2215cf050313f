using AgentFlan.Recipes;

namespace AgentFlan.Cli.Commands;

/// <summary>
/// The arguments the recipe commands share: <c>&lt;recipe.yaml&gt; [--out &lt;dir&gt;] [--set path=value]...</c>.
/// <see cref="Load"/> prints the recipe's diagnostics and returns it when it is valid.
/// </summary>
internal sealed record RecipeArguments(string RecipePath, string? Output, IReadOnlyList<string> Overrides)
{
    public static RecipeArguments? Parse(string command, IReadOnlyList<string> args, TextWriter stderr)
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
                case { } argument when recipePath is null && !argument.StartsWith('-'):
                    recipePath = argument;
                    break;
                default:
                    stderr.WriteLine($"agentflan {command}: unexpected argument '{args[i]}'.");
                    return null;
            }
        }

        if (recipePath is null)
        {
            stderr.WriteLine($"usage: agentflan {command} <recipe.yaml> [--out <dir>] [--set path=value]...");
            return null;
        }

        return new RecipeArguments(recipePath, output, overrides);
    }

    public Recipe? Load(TextWriter stderr)
    {
        var loaded = RecipeLoader.Load(RecipePath, string.Join(';', Overrides));
        foreach (var diagnostic in loaded.Diagnostics)
        {
            stderr.WriteLine(diagnostic);
        }

        return loaded.Recipe;
    }
}
