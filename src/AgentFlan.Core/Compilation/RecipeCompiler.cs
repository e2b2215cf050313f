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
/// Compiles a recipe into a training set: read sources → render with the chat template → tokenize with
/// the loss mask → apply the over-length policy → pack → write shards, report and, last, manifest.json.
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
        var loader = new SourceLoader(recipe, outputDirectory);
        var transformed = AgentFlanTransforms.Apply(recipe, loader.Read(cancellationToken));
        Evaluation.HeldOutFile.Write(outputDirectory, transformed.HeldOut);
        return Compile(recipe, transformed.Conversations, outputDirectory, loader, transformed, options, cancellationToken);
    }

    /// <summary>Compiles conversations in their final form: the Agent-FLAN transforms are not applied (capability weights are).</summary>
    public static CompileResult Compile(Recipe recipe, IEnumerable<Conversation> conversations, string outputDirectory, CancellationToken cancellationToken = default) =>
        Compile(recipe, conversations, outputDirectory, loader: null, transformed: null, new CompileOptions(), cancellationToken);

    /// <param name="threads">Tokenization threads; 0 means every core. The output is byte-identical for any value.</param>
    public static CompileResult Compile(Recipe recipe, IEnumerable<Conversation> conversations, string outputDirectory, int threads, CancellationToken cancellationToken = default) =>
        Compile(recipe, conversations, outputDirectory, loader: null, transformed: null, new CompileOptions { Threads = threads }, cancellationToken);

    private static CompileResult Compile(Recipe recipe, IEnumerable<Conversation> conversations, string outputDirectory, SourceLoader? loader, TransformResult? transformed, CompileOptions options, CancellationToken cancellationToken)
    {
        // A compile killed mid-write leaves temp files (never an output that looks finished): sweep them.
        AtomicFile.RemoveAbandoned(outputDirectory);
        int threads = options.Threads;
        var diagnostics = new List<Diagnostic>();
        var tokenizer = TokenizerLoader.Load(recipe.Tokenizer);
        var template = ChatTemplates.Get(recipe.Template);
        var plan = transformed?.Plan ?? RenderPlan.For(recipe);
        var sampler = new SampleTokenizer(tokenizer, template, recipe.Masking, plan);
        var cache = options.CacheDirectory is null ? null : new StageCache(options.CacheDirectory);
        var memo = new TokenMemo(cache, tokenizer.Info.Hash, template.Name);
        int length = recipe.Sequence.Length;

        // Tokenize on every core (results in input order), pack a window at a time, write a shard at a time:
        // memory stays flat however many conversations the sources hold.
        var tokenizeAll = new ParallelTokenizer(tokenizer, t => new SampleTokenizer(t, template, recipe.Masking, plan, memo).Tokenize, length, OverLengthOptions.From(recipe.Sequence));
        var packer = new StreamingPacker(length, recipe.Sequence.Packing, tokenizer.Info.EndOfText, RowsPerShard);
        var shardWriter = new ShardSetWriter(outputDirectory, length, tokenizer.Info.VocabularySize <= ushort.MaxValue + 1 ? 2 : 4, RowsPerShard);

        var conversationsByKind = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var supervisedByKind = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var overLengthBySource = new SortedDictionary<string, OverLengthCounts>(StringComparer.Ordinal);
        long conversationCount = 0, truncated = 0, dropped = 0, unsupervised = 0, documents = 0, tokens = 0, supervisedTokens = 0;
        Conversation? example = null;
        var capabilities = new CapabilityCounter();

        // A token budget needs every sample before choosing; without one, samples stream straight to the shards.
        var budgeted = recipe.Mixing.MaxTokens > 0 ? new List<TokenizedSample>() : null;
        // Sample lengths in eighths of the sequence length (the last bucket holds full-length, truncated samples).
        var lengthBuckets = new long[8];
        void Keep(TokenizedSample sample)
        {
            lengthBuckets[Math.Min(7, (sample.Length - 1) * 8 / length)]++;
            documents++;
            tokens += sample.Length;
            supervisedTokens += sample.SupervisedCount;
            var kind = KindName(sample.Kind);
            supervisedByKind[kind] = supervisedByKind.GetValueOrDefault(kind) + sample.SupervisedCount;
            capabilities.Add(sample);
            shardWriter.Add(packer.Add(sample));
        }

        foreach (var (conversation, tokenized, outcome) in tokenizeAll.TokenizeAll(conversations, threads > 0 ? threads : ParallelTokenizer.DefaultThreads, cancellationToken))
        {
            conversationCount++;
            example ??= conversation.Messages.Any(m => m.ToolCalls.Count > 0) ? conversation : null;
            var kind = KindName(conversation.Kind);
            conversationsByKind[kind] = conversationsByKind.GetValueOrDefault(kind) + 1;

            var source = conversation.Provenance.Source;
            switch (outcome)
            {
                case OverLengthOutcome.TooLong:
                    throw new DiagnosticException(Diagnostic.Error(
                        DiagnosticCodes.SampleTooLong,
                        $"Sample '{conversation.Id}' ({Where(conversation.Provenance)}) has {sampler.Tokenize(conversation).Length} tokens; sequence.length is {length} and sequence.over_length is 'error'.",
                        recipe.FilePath));
                case OverLengthOutcome.Dropped:
                    dropped++;
                    var d = overLengthBySource.GetValueOrDefault(source) ?? new OverLengthCounts();
                    overLengthBySource[source] = d with { Dropped = d.Dropped + 1 };
                    continue;
                case OverLengthOutcome.Truncated:
                    truncated++;
                    var t = overLengthBySource.GetValueOrDefault(source) ?? new OverLengthCounts();
                    overLengthBySource[source] = t with { Truncated = t.Truncated + 1 };
                    break;
            }

            var sample = tokenized!;
            if (sample.SupervisedCount == 0)
            {
                unsupervised++;
                continue;
            }

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
            var limited = Mixer.LimitTokens(budgeted, recipe.Mixing.MaxTokens, recipe.Seed);
            budgetRemoved = budgeted.Count - limited.Count;
            limited.ForEach(Keep);
        }

        var transformStatistics = (transformed?.Statistics ?? new TransformStatistics()) with { TokenBudgetRemoved = budgetRemoved };
        if (documents == 0)
        {
            throw new DiagnosticException(Diagnostic.Error(
                DiagnosticCodes.NoSupervisedTokens,
                $"Recipe '{recipe.Name}' produced no sample with a supervised token ({conversationCount} conversations read, {dropped} dropped as over-length, {unsupervised} without an assistant turn to learn).",
                recipe.FilePath));
        }

        shardWriter.Add(packer.Flush());
        memo.Save();
        diagnostics.AddRange(cache?.Warnings ?? []);
        var shards = shardWriter.Complete();

        var manifest = new DatasetManifest
        {
            Recipe = recipe.Name,
            CompilerVersion = CompilerInfo.Version,
            Seed = recipe.Seed,
            SettingsHash = RecipeFingerprint.DataHash(recipe),
            Overrides = [.. recipe.Overrides.Select(o => o.ToString())],
            RecipeFiles = [.. recipe.Files.Select(f => Path.GetRelativePath(recipe.Directory, f).Replace('\\', '/'))],
            Settings = System.Text.Json.Nodes.JsonNode.Parse(RecipeFingerprint.DataSettings(recipe)),
            Tokenizer = tokenizer.Info,
            Template = template.Name,
            SequenceLength = length,
            Shards = shards,
            Statistics = new DatasetStatistics
            {
                Conversations = conversationCount,
                Documents = documents,
                Tokens = tokens,
                SupervisedTokens = supervisedTokens,
                PaddingTokens = (shardWriter.RowCount * length) - tokens,
                Truncated = truncated,
                Dropped = dropped,
                Unsupervised = unsupervised,
                Sources = loader?.Statistics ?? [],
                OverLengthBySource = overLengthBySource,
                LengthHistogram = new SortedDictionary<int, long>(Enumerable.Range(0, 8).ToDictionary(b => (b + 1) * length / 8, b => lengthBuckets[b])),
                ConversationsByKind = conversationsByKind,
                SupervisedTokensByKind = supervisedByKind,
                Capabilities = capabilities.Measure(plan),
                Transforms = transformStatistics,
            },
        };

        AtomicFile.WriteAllText(Path.Combine(outputDirectory, ReportFileName), DatasetReport.Render(manifest, sampler, example));
        var manifestPath = Path.Combine(outputDirectory, ManifestFileName);
        AtomicFile.WriteAllText(manifestPath, manifest.ToJson());
        return new CompileResult(manifestPath, manifest, diagnostics) { SamplesFromCache = memo.Hits, SamplesTokenized = memo.Misses };
    }

    internal static string KindName(ConversationKind kind) => kind switch
    {
        ConversationKind.AgentChat => "agent-chat",
        ConversationKind.AgentReact => "agent-react",
        ConversationKind.FormatFollowing => "format-following",
        ConversationKind.Negative => "negative",
        _ => "general",
    };

    private static string Where(Provenance provenance) =>
        provenance.File is null ? provenance.Source
        : provenance.Line > 0 ? $"{provenance.File}({provenance.Line})"
        : $"{provenance.File}[{provenance.Index}]";
}
