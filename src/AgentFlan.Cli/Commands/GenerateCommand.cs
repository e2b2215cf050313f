using System.Diagnostics;
using System.Globalization;
using AgentFlan.Synthetic;
using AgentFlan.Writers;

namespace AgentFlan.Cli.Commands;

/// <summary>
/// <c>agentflan generate --format &lt;f|all&gt; --count &lt;n&gt; --seed &lt;s&gt; --out &lt;path&gt; [--split train|heldout] [--defects] [--defect-rate r]</c>:
/// writes a synthetic corpus in one public source format (or, with <c>all</c>, every format into the folder).
/// </summary>
internal static class GenerateCommand
{
    public const string Usage =
        "usage: agentflan generate --format <agentflan|agentinstruct|toolbench|toolllama|glaive|sharegpt|openai|all> " +
        "--count <n> --seed <s> --out <path> [--split train|heldout] [--defects] [--defect-rate <0..1>]";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (Parse(args, out var error) is not { } request)
        {
            stderr.WriteLine($"agentflan generate: {error}");
            stderr.WriteLine(Usage);
            return 2;
        }

        var options = new SyntheticOptions { Count = request.Count, Seed = request.Seed, Split = request.Split };
        var writerOptions = new CorpusWriterOptions { InjectDefects = request.Defects, DefectRate = request.DefectRate, Seed = request.Seed };
        var formats = request.Format is { } one ? [one] : Enum.GetValues<CorpusFormat>();
        foreach (var format in formats)
        {
            var path = request.Format is null ? Path.Combine(request.Out, CorpusWriter.DefaultFileName(format)) : request.Out;
            var clock = Stopwatch.StartNew();
            var result = CorpusWriter.Write(format, SyntheticCorpus.Generate(options), path, writerOptions);
            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
            stdout.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{CorpusWriter.FormatName(format)}: {result.Records} conversations ({(request.Split == SyntheticSplit.Train ? "train" : "heldout")}, seed {request.Seed}) -> {path} in {seconds:0.00} s ({result.Records / seconds:0} conv/s)"));
            if (request.Defects)
            {
                stdout.WriteLine($"  {result.Defects.Count} defective records, listed in {Path.TrimEndingDirectorySeparator(path)}.defects.jsonl");
            }
        }

        return 0;
    }

    private sealed record Request(CorpusFormat? Format, int Count, int Seed, string Out, SyntheticSplit Split, bool Defects, double DefectRate);

    private static Request? Parse(IReadOnlyList<string> args, out string error)
    {
        string? format = null, count = null, seed = null, output = null, split = null, rate = null;
        var defects = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "generate" && i == 0)
            {
                continue;
            }

            if (arg == "--defects")
            {
                defects = true;
                continue;
            }

            if (arg is not ("--format" or "--count" or "--seed" or "--out" or "--split" or "--defect-rate"))
            {
                error = $"unknown argument '{arg}'";
                return null;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{arg} needs a value";
                return null;
            }

            var value = args[++i];
            switch (arg)
            {
                case "--format": format = value; break;
                case "--count": count = value; break;
                case "--seed": seed = value; break;
                case "--out": output = value; break;
                case "--split": split = value; break;
                default: rate = value; break;
            }
        }

        CorpusFormat? parsed = null;
        if (format is null || count is null || seed is null || output is null)
        {
            error = "--format, --count, --seed and --out are required";
            return null;
        }

        if (format != "all")
        {
            if (!CorpusWriter.TryParseFormat(format, out var f))
            {
                error = $"unknown format '{format}' (expected one of {string.Join(", ", CorpusWriter.FormatNames)}, or all)";
                return null;
            }

            parsed = f;
        }

        if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            error = $"--count must be a non-negative integer, not '{count}'";
            return null;
        }

        if (!int.TryParse(seed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s))
        {
            error = $"--seed must be an integer, not '{seed}'";
            return null;
        }

        var splitValue = split?.ToLowerInvariant() switch
        {
            null or "train" => SyntheticSplit.Train,
            "heldout" or "held-out" => SyntheticSplit.HeldOut,
            _ => (SyntheticSplit?)null,
        };
        if (splitValue is null)
        {
            error = $"--split must be train or heldout, not '{split}'";
            return null;
        }

        var defectRate = 0.15;
        if (rate is not null && (!double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out defectRate) || defectRate is < 0 or > 1))
        {
            error = $"--defect-rate must be a number between 0 and 1, not '{rate}'";
            return null;
        }

        error = string.Empty;
        return new Request(parsed, n, s, output, splitValue.Value, defects, defectRate);
    }
}
