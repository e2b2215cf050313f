using System.Runtime.CompilerServices;
using AgentFlan.Caching;
using AgentFlan.Conversations;
using AgentFlan.Diagnostics;
using AgentFlan.IO;
using AgentFlan.Packing;
using AgentFlan.Recipes;
using AgentFlan.Shards;
using AgentFlan.Templates;
using AgentFlan.Tokenization;
using AgentFlan.Transforms;

namespace AgentFlan.Compilation;

/// <summary>
/// Compiles a recipe into a training set: read sources → Agent-FLAN transforms → render with the chat template
/// and tokenize (the documents, cached as the samples stage: <see cref="SampleStore"/>) → capability weights →
/// over-length policy → token budget → pack → write shards, report and, last, manifest.json.
/// The manifest is written last and atomically, so an interrupted compile never leaves an output that
/// looks complete to MSBuild's up-to-date check.
/// </summary>
public static class RecipeCompiler
{
    public const int RowsPerShard = 2048;
    public const string ManifestFileName = "manifest.json";
    public const string ReportFileName = "report.md";

    public static CompileResult Compile(Recipe recipe, string outputDirectory, CancellationToken cancellationToken = default) =>
        Compile(recipe, outputDirectory, threads: 0, cancellationToken);

    /// <param name="threads">Tokenization threads; 0 means every core. The output is byte-identical for any value.</param>
    public static CompileResult Compile(Recipe recipe, string outputDirectory, int threads, CancellationToken cancellationToken = default) =>
        Compile(recipe, outputDirectory, new CompileOptions { Threads = threads }, cancellationToken);

    public static CompileResult Compile(Recipe recipe, string outputDirectory, CompileOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(options);

        // A compile killed mid-write leaves temp files (never an output that looks finished): sweep them.
        AtomicFile.RemoveAbandoned(outputDirectory);
        var context = new CompileContext(recipe, options);
        var hashes = context.Cache is null ? null : new FileHashMemo(context.Cache.Root);
        var files = recipe.Sources.Select(s => SourceLoader.InputFiles(recipe, s, hashes)).ToList();
        hashes?.Save();
        var key = SampleStore.Key(context.DataSettings, files);
        var stored = context.Cache is null ? null : SampleStore.Open(context.Cache, key);
        context.Timings.Add(("inputs", context.Clock.Elapsed.TotalSeconds));
        if (stored is not null)
        {
            using (stored)
            {
                try
                {
                    var summary = stored.Summary;
                    SourceLoader.RestoreQuarantine(recipe, outputDirectory, summary.Quarantine);
                    Evaluation.HeldOutFile.Write(outputDirectory, summary.HeldOut);
                    var plan = new RenderPlan(recipe.Seed, recipe.Capabilities, summary.ExampleForms);
                    return Finish(context, stored.Records(), plan, new ExampleCandidates(summary.Examples), outputDirectory, key, fromCache: true, () => (summary.Sources, summary.Transforms), summary.Tokenizer);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The entry is checked as its documents stream, so it can turn out damaged (deleted, warned) only
                    // now, before the manifest is written; a failure on the way may be that damage. Build it again.
                    if (e is not CacheEntryDamagedException && !stored.IsDamaged())
                    {
                        throw;
                    }
                }
            }
        }

        // The transforms decide on compact facts while the sources are read, then stream the conversations again
        // from the spool (in memory up to its budget, in a temp file past it; sources the read stage served are
        // replayed from their entries).
        using var spool = new ConversationSpool(options.SpoolBudgetBytes, outputDirectory);
        var threads = options.Threads > 0 ? options.Threads : ParallelTokenizer.DefaultThreads;
        var loader = new SourceLoader(recipe, outputDirectory, files, context.Cache, spool, threads);
        var readStarted = context.Clock.Elapsed;
        var examinations = context.Cache is null ? null : new ExaminationMemo(context.Cache, loader.ReadKeys());
        var transformed = TransformPlan.Create(recipe, loader.Read(cancellationToken), spool, threads, examinations, cancellationToken);
        context.Timings.Add(("read, transform", (context.Clock.Elapsed - readStarted).TotalSeconds));
        Evaluation.HeldOutFile.Write(outputDirectory, transformed.HeldOut);
        var examples = new ExampleCandidates();
        var documents = Tokenize(context, transformed.Conversations(cancellationToken), transformed.Plan, examples, cancellationToken);
        if (context.Cache is not null)
        {
            documents = Stored(documents, SampleStore.Create(context.Cache, key), () => new StoredSummary
            {
                Sources = loader.Statistics,
                Transforms = transformed.Statistics,
                Examples = examples.All,
                ExampleForms = examples.All.ToDictionary(e => e.Id, transformed.Plan.FormOf, StringComparer.Ordinal),
                Quarantine = loader.QuarantinedText(),
                HeldOut = transformed.HeldOut,
                Tokenizer = context.Tokenizer.Info,
            });
        }

        var result = Finish(context, documents, transformed.Plan, examples, outputDirectory, key, fromCache: false, () => (loader.Statistics, transformed.Statistics), tokenizerInfo: null);
        return result with { SourcesFromCache = loader.ReusedSources, SourcesExaminedFromCache = examinations?.Reused ?? 0, Spooled = spool.Spilled };
    }

    /// <summary>Compiles conversations in their final form: the Agent-FLAN transforms are not applied (capability weights are).</summary>
    public static CompileResult Compile(Recipe recipe, IEnumerable<Conversation> conversations, string outputDirectory, CancellationToken cancellationToken = default) =>
        Compile(recipe, conversations, outputDirectory, threads: 0, cancellationToken);

    /// <param name="threads">Tokenization threads; 0 means every core. The output is byte-identical for any value.</param>
    public static CompileResult Compile(Recipe recipe, IEnumerable<Conversation> conversations, string outputDirectory, int threads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        AtomicFile.RemoveAbandoned(outputDirectory);
        var context = new CompileContext(recipe, new CompileOptions { Threads = threads });
        var plan = RenderPlan.For(recipe);
        var examples = new ExampleCandidates();
        var documents = Tokenize(context, conversations, plan, examples, cancellationToken);
        return Finish(context, documents, plan, examples, outputDirectory, stageKey: null, fromCache: false, () => ([], new TransformStatistics()), tokenizerInfo: null);
    }

    /// <summary>Renders and tokenizes on every core (results in input order), offering each conversation as a report example.</summary>
    private static IEnumerable<TokenizedDocument> Tokenize(CompileContext context, IEnumerable<Conversation> conversations, RenderPlan plan, ExampleCandidates examples, CancellationToken cancellationToken)
    {
        var recipe = context.Recipe;
        var parallel = new ParallelTokenizer(context.Tokenizer, t => new SampleTokenizer(t, context.Template, recipe.Masking, plan, context.Memo).Document);
        var threads = context.Options.Threads > 0 ? context.Options.Threads : ParallelTokenizer.DefaultThreads;
        try
        {
            foreach (var (conversation, document) in parallel.TokenizeAll(conversations, threads, cancellationToken))
            {
                examples.Offer(conversation);
                yield return document;
            }

            context.Memo?.Save();
        }
        finally
        {
            context.Memo?.Dispose();
        }
    }

    /// <summary>
    /// Passes the documents through while storing them (encoded and hashed on the entry's own thread); the entry is
    /// published only once all of them went past.
    /// </summary>
    private static IEnumerable<TokenizedDocument> Stored(IEnumerable<TokenizedDocument> documents, StreamedEntryWriter<TokenizedDocument, StoredSummary> writer, Func<StoredSummary> summary)
    {
        using var background = new BackgroundEntryWriter<TokenizedDocument, StoredSummary>(writer);
        foreach (var document in documents)
        {
            background.Add(document);
            yield return document;
        }

        background.Commit(summary());
    }

    /// <summary>
    /// Everything after the documents, identical whether they were just tokenized or read from the samples stage:
    /// weigh → over-length → token budget → pack → shards, report, manifest. Memory stays flat (a window of
    /// rows at a time) unless a token budget needs every sample before choosing.
    /// </summary>
    private static CompileResult Finish(
        CompileContext context,
        IEnumerable<TokenizedDocument> documents,
        RenderPlan plan,
        ExampleCandidates examples,
        string outputDirectory,
        string? stageKey,
        bool fromCache,
        Func<(IReadOnlyList<SourceStatistics> Sources, TransformStatistics Transforms)> inputs,
        TokenizerInfo? tokenizerInfo)
    {
        var recipe = context.Recipe;

        // Documents from the samples stage name their tokenizer: packing starts while it is still loading (the
        // report's examples need it at the end).
        var info = tokenizerInfo ?? context.Tokenizer.Info;
        int length = recipe.Sequence.Length;
        var overLength = OverLengthOptions.From(recipe.Sequence);
        using var shardWriter = new ShardSetWriter(outputDirectory, length, info.VocabularySize <= ushort.MaxValue + 1 ? 2 : 4, RowsPerShard);
        var packer = new ShardPacker(length, recipe.Sequence.Packing, info.EndOfText, RowsPerShard, shardWriter);

        var conversationsByKind = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var supervisedByKind = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var overLengthBySource = new SortedDictionary<string, OverLengthCounts>(StringComparer.Ordinal);
        long conversationCount = 0, truncated = 0, dropped = 0, unsupervised = 0, documentCount = 0, tokens = 0, supervisedTokens = 0;
        var capabilities = new CapabilityCounter();

        // A token budget needs every sample before choosing; without one, samples stream straight to the shards.
        var budgeted = recipe.Mixing.MaxTokens > 0 ? new List<SampleView>() : null;
        // Sample lengths in eighths of the sequence length (the last bucket holds full-length, truncated samples).
        var lengthBuckets = new long[8];
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Keep(SampleView sample)
        {
            lengthBuckets[Math.Min(7, (sample.Length - 1) * 8 / length)]++;
            documentCount++;
            tokens += sample.Length;
            supervisedTokens += sample.SupervisedCount;
            var kind = KindName(sample.Kind);
            supervisedByKind[kind] = supervisedByKind.GetValueOrDefault(kind) + sample.SupervisedCount;
            capabilities.Add(sample);
            packer.Add(sample);
        }

        var started = context.Clock.Elapsed;
        var documentsTime = TimeSpan.Zero;
        foreach (var document in Timed(documents, elapsed => documentsTime += elapsed))
        {
            conversationCount++;
            var kind = KindName(document.Kind);
            conversationsByKind[kind] = conversationsByKind.GetValueOrDefault(kind) + 1;

            // The weights decide which segments stay supervised: a view of the document's tokens, no per-token arrays.
            var (weighed, outcome) = OverLength.Apply(plan.View(document), length, overLength);
            switch (outcome)
            {
                case OverLengthOutcome.TooLong:
                    throw new DiagnosticException(Diagnostic.Error(
                        DiagnosticCodes.SampleTooLong,
                        $"Sample '{document.Id}' ({document.Where}) has {document.Length} tokens; sequence.length is {length} and sequence.over_length is 'error'.",
                        recipe.FilePath));
                case OverLengthOutcome.Dropped:
                    dropped++;
                    var d = overLengthBySource.GetValueOrDefault(document.Source) ?? new OverLengthCounts();
                    overLengthBySource[document.Source] = d with { Dropped = d.Dropped + 1 };
                    continue;
                case OverLengthOutcome.Truncated:
                    truncated++;
                    var t = overLengthBySource.GetValueOrDefault(document.Source) ?? new OverLengthCounts();
                    overLengthBySource[document.Source] = t with { Truncated = t.Truncated + 1 };
                    break;
            }

            var sample = weighed!;
            if (sample.SupervisedCount == 0)
            {
                unsupervised++;
                continue;
            }

            examples.Written(document.Id);

            if (budgeted is not null)
            {
                budgeted.Add(sample);
            }
            else
            {
                Keep(sample);
            }
        }

        long budgetRemoved = 0;
        if (budgeted is not null)
        {
            var limited = Mixer.LimitTokens(budgeted, v => v.Id, v => v.Length, recipe.Mixing.MaxTokens, recipe.Seed);
            budgetRemoved = budgeted.Count - limited.Count;
            limited.ForEach(Keep);
        }

        var (sources, transforms) = inputs();
        if (documentCount == 0)
        {
            throw new DiagnosticException(Diagnostic.Error(
                DiagnosticCodes.NoSupervisedTokens,
                $"Recipe '{recipe.Name}' produced no sample with a supervised token ({conversationCount} conversations read, {dropped} dropped as over-length, {unsupervised} without an assistant turn to learn).",
                recipe.FilePath));
        }

        packer.Flush();
        var diagnostics = new List<Diagnostic>(context.Cache?.Warnings ?? []);

        // Every row is packed, so the statistics are final: the charts (which show only them) are drawn while the last
        // shards are written and hashed; the shards go into the manifest once they are all done.
        var manifest = new DatasetManifest
        {
            Recipe = recipe.Name,
            CompilerVersion = CompilerInfo.Version,
            Seed = recipe.Seed,
            SettingsHash = Hashing.ContentHash.OfText(context.DataSettings),
            Overrides = [.. recipe.Overrides.Select(o => o.ToString())],
            RecipeFiles = [.. recipe.Files.Select(f => Path.GetRelativePath(recipe.Directory, f).Replace('\\', '/'))],
            Settings = System.Text.Json.Nodes.JsonNode.Parse(context.DataSettings),
            Stages = stageKey is null ? new SortedDictionary<string, string>() : new SortedDictionary<string, string>(StringComparer.Ordinal) { [SampleStore.Stage] = stageKey },
            Tokenizer = info,
            Template = context.Template.Name,
            SequenceLength = length,
            Shards = [],
            Statistics = new DatasetStatistics
            {
                Conversations = conversationCount,
                Documents = documentCount,
                Tokens = tokens,
                SupervisedTokens = supervisedTokens,
                PaddingTokens = (shardWriter.RowCount * length) - tokens,
                Truncated = truncated,
                Dropped = dropped,
                Unsupervised = unsupervised,
                Sources = sources,
                OverLengthBySource = overLengthBySource,
                LengthHistogram = new SortedDictionary<int, long>(Enumerable.Range(0, 8).ToDictionary(b => (b + 1) * length / 8, b => lengthBuckets[b])),
                ConversationsByKind = conversationsByKind,
                SupervisedTokensByKind = supervisedByKind,
                Capabilities = capabilities.Measure(plan),
                Transforms = transforms with { TokenBudgetRemoved = budgetRemoved },
            },
        };

        var charts = context.Options.Charts;
        var measured = manifest;
        var drawing = Task.Run(() => DatasetReport.Draw(measured, charts));
        manifest = manifest with { Shards = shardWriter.Complete() };
        var written = context.Clock.Elapsed;

        var manifestJson = manifest.ToJson();
        var sampler = new SampleTokenizer(context.Tokenizer, context.Template, recipe.Masking, plan);
        diagnostics.AddRange(DatasetReport.Write(outputDirectory, manifest, sampler, examples.Chosen(), drawing));
        var manifestPath = Path.Combine(outputDirectory, ManifestFileName);
        AtomicFile.WriteAllText(manifestPath, manifestJson);
        context.Timings.Add((fromCache ? "documents (samples stage)" : "documents (render, tokenize)", documentsTime.TotalSeconds));
        context.Timings.Add(("weigh, pack, write", (written - started - documentsTime).TotalSeconds));
        context.Timings.Add(("report, manifest", (context.Clock.Elapsed - written).TotalSeconds));
        return new CompileResult(manifestPath, manifest, diagnostics)
        {
            Timings = context.Timings,
            SamplesFromCache = fromCache ? conversationCount : context.Memo?.Hits ?? 0,
            SamplesTokenized = fromCache ? 0 : context.Memo?.Misses ?? conversationCount,
            SamplesStageReused = fromCache,
        };
    }

    /// <summary>Passes <paramref name="items"/> through, reporting the time spent producing each.</summary>
    private static IEnumerable<T> Timed<T>(IEnumerable<T> items, Action<TimeSpan> spent)
    {
        using var enumerator = items.GetEnumerator();
        while (true)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var more = enumerator.MoveNext();
            spent(System.Diagnostics.Stopwatch.GetElapsedTime(started));
            if (!more)
            {
                yield break;
            }

            yield return enumerator.Current;
        }
    }

    internal static string KindName(ConversationKind kind) => kind switch
    {
        ConversationKind.AgentChat => "agent-chat",
        ConversationKind.AgentReact => "agent-react",
        ConversationKind.FormatFollowing => "format-following",
        ConversationKind.Negative => "negative",
        _ => "general",
    };

    /// <summary>What decides a conversation's tokens and segments besides the conversation itself: the settings' compiler, tokenizer, template and masking.</summary>
    private static string RenderIdentity(string dataSettings)
    {
        var settings = System.Text.Json.Nodes.JsonNode.Parse(dataSettings)!;
        return string.Join("\n", new[] { "compiler", "tokenizer", "template", "masking" }.Select(name => settings[name]?.ToJsonString()));
    }

    /// <summary>What one compile works with: the recipe, its tokenizer and template, the cache and the document memo.</summary>
    private sealed class CompileContext
    {
        private readonly Task<LoadedTokenizer> _tokenizer;

        public CompileContext(Recipe recipe, CompileOptions options)
        {
            Recipe = recipe;
            Options = options;
            // Loaded on another thread while the inputs are hashed and read: the first use waits for it (and throws
            // its error, such as a tokenizer file that does not parse).
            _tokenizer = Task.Run(() => TokenizerLoader.Load(recipe.Tokenizer));
            Template = ChatTemplates.Get(recipe.Template);
            Cache = options.CacheDirectory is null ? null : new StageCache(options.CacheDirectory);
            DataSettings = RecipeFingerprint.DataSettings(recipe);
            Memo = Cache is null ? null : new DocumentMemo(Cache, RenderIdentity(DataSettings));
        }

        public Recipe Recipe { get; }

        /// <summary>The recipe's data settings, computed once (they hash the tokenizer and template files).</summary>
        public string DataSettings { get; }

        public CompileOptions Options { get; }

        public LoadedTokenizer Tokenizer => Threading.Blocking.Wait(_tokenizer);

        public ChatTemplate Template { get; }

        public StageCache? Cache { get; }

        /// <summary>Null without a cache: nothing to remember between compiles, so no key is hashed and no document kept.</summary>
        public DocumentMemo? Memo { get; }

        public System.Diagnostics.Stopwatch Clock { get; } = System.Diagnostics.Stopwatch.StartNew();

        public List<(string Stage, double Seconds)> Timings { get; } = [];
    }
}
