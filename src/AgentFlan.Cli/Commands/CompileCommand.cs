using AgentFlan.Compilation;
using AgentFlan.Diagnostics;
using AgentFlan.Recipes;

namespace AgentFlan.Cli.Commands;

/// <summary>`agentflan compile`: what the build's compile step does, for one recipe.</summary>
internal static class CompileCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        string? recipePath = null, output = null;
        var overrides = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Count)
            {
                output = args[++i];
            }
            else if (args[i] == "--set" && i + 1 < args.Count)
            {
                overrides.Add(args[++i]);
            }
            else if (recipePath is null && !args[i].StartsWith('-'))
            {
                recipePath = args[i];
            }
            else
            {
                stderr.WriteLine($"agentflan compile: unexpected argument '{args[i]}'.");
                return 2;
            }
        }

        if (recipePath is null)
        {
            stderr.WriteLine("usage: agentflan compile <recipe.yaml> [--out <dir>] [--set path=value]...");
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

        output ??= ExplainCommand.DefaultDataDirectory(recipe);
        try
        {
            var result = RecipeCompiler.Compile(recipe, output, new CompileOptions { CacheDirectory = CacheCommand.DefaultDirectory() });
            var stats = result.Manifest.Statistics;
            stdout.WriteLine($"{result.ManifestPath}: {stats.Conversations} conversations, {stats.Tokens} tokens, {stats.SupervisedTokens} supervised ({result.SamplesFromCache} samples from the cache, {result.SamplesTokenized} tokenized).");
            return 0;
        }
        catch (DiagnosticException e)
        {
            foreach (var diagnostic in e.Diagnostics)
            {
                stderr.WriteLine(diagnostic);
            }

            return 1;
        }
    }
}
