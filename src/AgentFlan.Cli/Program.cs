using AgentFlan.Cli.Commands;

namespace AgentFlan.Cli;

/// <summary>`agentflan`: the same Core as the build, from a shell.</summary>
internal static class Program
{
    private const string Usage = """
        usage: agentflan <command> [arguments]

        commands:
          validate <recipe.yaml>... [--resolved] [--set path=value]...
                                               check recipes; errors as file(line,col): error AFBnnnn: message;
                                               --resolved prints the recipe after extends, defaults and overrides
          compile <recipe.yaml> [--out <dir>] [--set path=value]...
                                               compile a recipe into shards + manifest.json + report.md (+ report/*.png)
          inspect <manifest|shard|recipe> <index>
                                               print one sample token by token with its loss mask (and capabilities)
          cache usage|prune [--dir <dir>] [--unused-days <n>]
                                               the stage cache's size, or remove entries unused for n days
          read --format <f> <path> [--out <file.jsonl>]
                                               read one source file: accounting by reason; optional OpenAI JSONL export
          explain <recipe.yaml> [--out <dir>]  say whether the compiled data is up to date, and why not
          generate --format <f> --count <n> --seed <s> --out <path>
                                               write synthetic conversations in a public source format
        exit codes: 0 success, 1 errors reported, 2 bad usage
        """;

    private static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    internal static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            (args.Count == 0 ? stderr : stdout).WriteLine(Usage);
            return args.Count == 0 ? 2 : 0;
        }

        var rest = args.Skip(1).ToArray();
        switch (args[0])
        {
            case "validate":
                return ValidateCommand.Run(rest, stdout, stderr);
            case "inspect":
                return InspectCommand.Run(rest, stdout, stderr);
            case "cache":
                return CacheCommand.Run(rest, stdout, stderr);
            case "read":
                return ReadCommand.Run(rest, stdout, stderr);
            case "explain":
                return ExplainCommand.Run(rest, stdout, stderr);
            case "generate":
                return GenerateCommand.Run(rest, stdout, stderr);
            case "compile":
                return CompileCommand.Run(rest, stdout, stderr);
            default:
                stderr.WriteLine($"agentflan: unknown command '{args[0]}'.");
                stderr.WriteLine(Usage);
                return 2;
        }
    }
}
