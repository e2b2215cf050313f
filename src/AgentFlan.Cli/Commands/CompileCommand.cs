using AgentFlan.Charts;
using AgentFlan.Compilation;
using AgentFlan.Diagnostics;

namespace AgentFlan.Cli.Commands;

/// <summary>`agentflan compile`: what the build's compile step does, for one recipe.</summary>
internal static class CompileCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (RecipeArguments.Parse("compile", args, stderr) is not { } arguments)
        {
            return 2;
        }

        if (arguments.Load(stderr) is not { } recipe)
        {
            return 1;
        }

        var output = arguments.Output ?? ExplainCommand.DefaultDataDirectory(recipe);
        try
        {
            var result = RecipeCompiler.Compile(recipe, output, new CompileOptions { CacheDirectory = CacheCommand.DefaultDirectory(), Charts = new ScottPlotRenderer() });
            foreach (var diagnostic in result.Diagnostics)
            {
                stderr.WriteLine(diagnostic);
            }

            var stats = result.Manifest.Statistics;
            stdout.WriteLine($"{result.ManifestPath}: {stats.Conversations} conversations, {stats.Tokens} tokens, {stats.SupervisedTokens} supervised ({result.CacheSummary}).");
            stdout.WriteLine($"time: {result.TimingSummary}");
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
