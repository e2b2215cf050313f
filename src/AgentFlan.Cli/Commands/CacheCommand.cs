using System.Globalization;
using AgentFlan.Caching;

namespace AgentFlan.Cli.Commands;

/// <summary>`agentflan cache usage|prune`: the stage cache's size per stage, and trimming entries unused for a while.</summary>
internal static class CacheCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        string? directory = null;
        var days = 30;
        string? verb = null;
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--dir" when i + 1 < args.Count:
                    directory = args[++i];
                    break;
                case "--unused-days" when i + 1 < args.Count && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var d) && d >= 0:
                    days = d;
                    i++;
                    break;
                case "usage" or "prune" when verb is null:
                    verb = args[i];
                    break;
                default:
                    stderr.WriteLine($"agentflan cache: unexpected argument '{args[i]}'.");
                    return 2;
            }
        }

        if (verb is null)
        {
            stderr.WriteLine("usage: agentflan cache usage|prune [--dir <cache dir>] [--unused-days <n, default 30>]");
            return 2;
        }

        var cache = new StageCache(directory ?? DefaultDirectory());
        if (verb == "prune")
        {
            var (entries, bytes) = cache.Prune(TimeSpan.FromDays(days));
            stdout.WriteLine($"{cache.Root}: removed {entries} entries ({bytes / 1048576.0:0.0} MB) unused for {days} days.");
        }

        foreach (var (stage, count, size) in cache.Usage())
        {
            stdout.WriteLine($"{cache.Root}: {stage}: {count} entries, {size / 1048576.0:0.0} MB");
        }

        return 0;
    }

    /// <summary>The repository's cache when run inside one (as the build uses), else ./.agentflan/cache.</summary>
    internal static string DefaultDirectory()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentFlan.Build.sln")))
            {
                return Path.Combine(dir.FullName, ".agentflan", "cache");
            }
        }

        return Path.Combine(Environment.CurrentDirectory, ".agentflan", "cache");
    }
}
