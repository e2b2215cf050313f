using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AgentFlan.Conversations;
using AgentFlan.Synthetic;
using AgentFlan.Writers;

// Builds a temporary project with N OpenAI-format sources and times real `dotnet build` runs: cold compile,
// no-op build (against the same project without recipes), a capability weight change and an edit of one source.
// Default 4 x 50,000 conversations (~100 M tokens, 364 MB): a build's fixed cost (~0.55 s of MSBuild start-up, the
// no-op build of a project without recipes) must be small next to the cold compile for the ratios to say anything
// about the cache. At 4 x 12,500 (--conversations 12500, 1 minute faster) that no-op alone is 12-17 % of the cold
// compile, above the 10 % a weight change may take.
// Usage: [sources] [conversations per source] | --sources N --conversations N [--keep] [--tasks <AgentFlan.Build.Tasks.dll>] [--shared-duplicates]
// (--keep leaves the project for profiling).
// The sources share no conversation, as distinct public datasets do: each source's first user turns carry its name.
// The generator alone repeats ~8 % of its conversations across seeds; --shared-duplicates keeps those, and then
// deduplication ties every source to every other (which copy of a duplicate stays depends on all of them), so editing
// one source changes the decisions about the others and repacks them too.
var options = BenchOptions.Parse(args);
int sources = options.Sources;
int perSource = options.Conversations;
var repo = FindRepository();
var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
var tasks = options.Tasks ?? Path.Combine(repo, "src", "AgentFlan.Build.Tasks", "bin", configuration, "net10.0", "AgentFlan.Build.Tasks.dll");
var root = Path.Combine(Path.GetTempPath(), $"agentflan-buildbench-{Guid.NewGuid():N}");
Directory.CreateDirectory(root);
try
{
    void WriteSource(int s, int seed)
    {
        var conversations = SyntheticCorpus.Generate(new SyntheticOptions { Count = perSource, Seed = seed });
        CorpusWriter.Write(CorpusFormat.OpenAi, options.SharedDuplicates ? conversations : conversations.Select(c => Own(c, $"part{s}")), Path.Combine(root, "data", $"part{s}.jsonl"));
    }

    for (int s = 0; s < sources; s++)
    {
        WriteSource(s, 100 + s);
    }

    var sourceList = string.Join("\n", Enumerable.Range(0, sources).Select(s => $"  - {{name: part{s}, format: openai, path: data/part{s}.jsonl}}"));
    File.WriteAllText(Path.Combine(root, "bench.recipe.yaml"), $"sources:\n{sourceList}\ncapabilities:\n  retrieval: 0.25\nsequence:\n  length: 1024\n");
    File.WriteAllText(Path.Combine(root, "Bench.proj"), $"""
        <Project Sdk="Microsoft.Build.NoTargets/3.7.0">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <AgentFlanTasksAssembly>{tasks}</AgentFlanTasksAssembly>
          </PropertyGroup>
          <ItemGroup><AgentFlanRecipe Include="*.recipe.yaml" /></ItemGroup>
          <Import Project="{Path.Combine(repo, "build", "AgentFlan.Build.targets")}" />
        </Project>
        """);
    File.WriteAllText(Path.Combine(root, "Plain.proj"), """
        <Project Sdk="Microsoft.Build.NoTargets/3.7.0">
          <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
        </Project>
        """);

    Build(root, "Plain.proj", "restore");
    Build(root, "Bench.proj", "restore");
    var plainNoOp = Median(() => Build(root, "Plain.proj").Seconds, 3);
    var (cold, coldLog) = Build(root, "Bench.proj");
    var noOp = Median(() => Build(root, "Bench.proj").Seconds, 3);
    File.WriteAllText(Path.Combine(root, "bench.recipe.yaml"), File.ReadAllText(Path.Combine(root, "bench.recipe.yaml")).Replace("retrieval: 0.25", "retrieval: 0.5", StringComparison.Ordinal));
    var (weight, weightLog) = Build(root, "Bench.proj");
    WriteSource(0, 999);
    var (oneSource, oneSourceLog) = Build(root, "Bench.proj");

    // The cold compile again, the cache emptied but the compile server warm: what a first build costs once the server runs.
    Directory.Delete(Path.Combine(root, "artifacts"), recursive: true);
    Directory.Delete(Path.Combine(root, ".agentflan"), recursive: true);
    var (warmCold, warmColdLog) = Build(root, "Bench.proj");

    long bytes = Enumerable.Range(0, sources).Sum(s => new FileInfo(Path.Combine(root, "data", $"part{s}.jsonl")).Length);
    Console.WriteLine($"sources {sources} x {perSource} conversations ({bytes / 1e6:0} MB), {(options.SharedDuplicates ? "sharing the generator's duplicates" : "no conversation in two sources")}, {Environment.ProcessorCount} cores, {configuration}");
    Console.WriteLine($"{"build",-40} {"seconds",8} {"x cold",8}  compiled in");
    void Row(string name, double seconds, string? log = null) => Console.WriteLine($"{name,-40} {seconds,8:0.00} {seconds / cold,8:0.00}  {(log is null ? "" : Served(log))}");
    Row("cold compile (empty cache)", cold, coldLog);
    Row("no-op build", noOp);
    Row("no-op build, project without recipes", plainNoOp);
    Row("after a capability weight change", weight, weightLog);
    Row($"after editing 1 of {sources} sources", oneSource, oneSourceLog);
    Row("cold compile again, compile server warm", warmCold, warmColdLog);
    Console.WriteLine($"no-op overhead vs a project without recipes: {noOp / plainNoOp:0.00}x (target <= 1.20)");
    Console.WriteLine($"weight change: {weight / cold:0.00}x cold (target <= 0.10)");
    Console.WriteLine($"1 of {sources} sources edited: {oneSource / cold:0.00}x cold (target <= {(1.0 / sources) + 0.10:0.00})");
    Console.WriteLine($"against the cold compile with a warm server: weight change {weight / warmCold:0.00}x, 1 of {sources} edited {oneSource / warmCold:0.00}x");
    // What no cache can save on a weight change: MSBuild's own start (the project without recipes) and re-packing every
    // sample (a weight changes every sample's loss mask). An edit repacks only the edited source's samples.
    var repack = Phase(weightLog, "weigh, pack, write");
    Console.WriteLine($"floor of a weight change: no-op build of a project without recipes + weigh/pack/write of every sample = {plainNoOp:0.00} + {repack:0.00} s = {(plainNoOp + repack) / cold:0.00}x cold");
    Console.WriteLine("phases (the compile task's own timings; the rest of a build is MSBuild, recipe loading and task start-up):");
    Phases("cold compile", coldLog);
    Phases("weight change", weightLog);
    Phases($"1 of {sources} sources edited", oneSourceLog);
    Phases("cold compile, server warm", warmColdLog);
}
finally
{
    if (options.Keep)
    {
        Console.WriteLine($"kept {root}");
    }
    else
    {
        Directory.Delete(root, recursive: true);
    }
}

// Normal verbosity, so the log holds the compile's phase times (the logger's cost is a few milliseconds). Every build
// of one run shares one compile server of its own (the run's id is part of the server's identity), so the first
// compile starts it cold whatever ran before; it exits a minute after the run.
static (double Seconds, string Log) Build(string directory, string project, string target = "Build")
{
    var info = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
    info.Environment["AGENTFLAN_BENCH_RUN"] = RunId.Value;
    info.Environment["AgentFlanCompileServerIdleSeconds"] = "60";
    foreach (var a in new[] { "msbuild", project, $"-t:{target}", "-nologo", "-v:n", "-tl:off", "-nodeReuse:false" })
    {
        info.ArgumentList.Add(a);
    }

    var clock = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEnd();
    process.WaitForExit();
    var seconds = clock.Elapsed.TotalSeconds;
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{project} -t:{target} failed:\n{output.Result}\n{error}");
    }

    return (seconds, output.Result);
}

static void Phases(string build, string log)
{
    var total = Regex.Match(log, @"compiled recipe '[^']*': .* in ([0-9.]+) s");
    var phases = Regex.Match(log, @"compile time: (.*)$", RegexOptions.Multiline);
    Console.WriteLine($"  {build}: task {(total.Success ? total.Groups[1].Value + " s" : "?")}; {(phases.Success ? phases.Groups[1].Value.TrimEnd() : "no timings in the log")}");
}

static double Phase(string log, string phase)
{
    var match = Regex.Match(log, Regex.Escape(phase) + @" ([0-9.]+) s");
    return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
}

// A conversation of the named source only: its first user turn says where it comes from.
static Conversation Own(Conversation conversation, string source)
{
    var messages = conversation.Messages.ToList();
    var first = messages.FindIndex(m => m.Role == Role.User);
    if (first >= 0)
    {
        messages[first] = messages[first] with { Content = $"[{source}] {messages[first].Content}" };
    }

    return conversation with { Messages = messages };
}

static string Served(string log) =>
    log.Contains("compile server started by this build", StringComparison.Ordinal) ? "compile server, started"
    : log.Contains("running compile server", StringComparison.Ordinal) ? "compile server, warm"
    : log.Contains("busy with another build", StringComparison.Ordinal) ? "worker (server busy)"
    : log.Contains("samples stage from the cache", StringComparison.Ordinal) ? "build process"
    : "worker";

static double Median(Func<double> run, int times) => Enumerable.Range(0, times).Select(_ => run()).Order().ElementAt(times / 2);

static string FindRepository()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "AgentFlan.Build.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Run from inside the repository.");
}

/// <summary>The command line: positional <c>[sources] [conversations]</c> or named options.</summary>
internal sealed record BenchOptions(int Sources, int Conversations, bool Keep, string? Tasks, bool SharedDuplicates)
{
    public static BenchOptions Parse(string[] args)
    {
        int sources = 4, conversations = 50_000, positional = 0;
        bool keep = false, shared = false;
        string? tasks = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--sources":
                    sources = Number(args, ++i);
                    break;
                case "--conversations":
                    conversations = Number(args, ++i);
                    break;
                case "--keep":
                    keep = true;
                    break;
                case "--shared-duplicates":
                    shared = true;
                    break;
                case "--tasks":
                    tasks = ++i < args.Length ? Path.GetFullPath(args[i]) : throw new ArgumentException("'--tasks' needs the path of a task assembly.");
                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal) || positional > 1)
                    {
                        throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: [sources] [conversations per source] | --sources N --conversations N [--keep] [--tasks <dll>] [--shared-duplicates]");
                    }

                    if (positional++ == 0)
                    {
                        sources = Number(args, i);
                    }
                    else
                    {
                        conversations = Number(args, i);
                    }

                    break;
            }
        }

        return new BenchOptions(sources, conversations, keep, tasks, shared);
    }

    private static int Number(string[] args, int i) =>
        i < args.Length && int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"'{args[i - 1]}' needs a positive number.");
}

/// <summary>This run's id, which gives it a compile server of its own.</summary>
internal static class RunId
{
    public static readonly string Value = Guid.NewGuid().ToString("N");
}
