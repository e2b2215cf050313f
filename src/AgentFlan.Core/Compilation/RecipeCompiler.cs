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
        try
        {
            return CompileOnce(recipe, outputDirectory, options, cancellationToken);
        }
        catch (TokenFilesMismatchException) when (options.ReuseTokenFiles)
        {
            // The capability weights left out another set of samples than the token files reused were packed from: pack
            // every segment in full. Nothing was published (the manifest comes last); the new token files are stored.
            return CompileOnce(recipe, outputDirectory, options with { ReuseTokenFiles = false }, cancellationToken);
        }
    }

    private static CompileResult CompileOnce(Recipe recipe, string outputDirectory, CompileOptions options, CancellationToken cancellationToken)
    {

        // A compile killed mid-write leaves temp files (never an output that looks finished): sweep them.
        AtomicFile.RemoveAbandoned(outputDirectory);
        var context = new CompileContext(recipe, options);
        var hashes = context.Cache is null ? null : new FileHashMemo(context.Cache.Root);
        var files = SourceLoader.InputFiles(recipe, recipe.Sources, context.Threads, hashes);
        var key = SampleStore.Key(context.DataSettings, SourceLoader.KeyFiles(recipe, files, hashes));
        hashes?.Save();
        var stored = context.Cache is null ? null : SampleStore.Open(context.Cache, key);
        context.Timings.Add(("inputs", context.Clock.Elapsed.TotalSeconds));
        if (stored is not null)
        {
            var reused = FromSamplesStage(context, stored, outputDirectory, key);
            if (reused is not null)
            {
                return reused;
            }
        }

        // The transforms decide on compact facts while the sources are read, then stream the conversations again
        // from the spool (in memory up to its budget, in a temp file past it; sources the read stage served are
        // replayed from their entries).
        using var spool = new ConversationSpool(options.SpoolBudgetBytes, outputDirectory);
        var threads = context.Threads;
        var loader = new SourceLoader(recipe, outputDirectory, files, context.Cache, spool, threads);
        var readStarted = context.Clock.Elapsed;
        var examinations = context.Cache is null ? null : new ExaminationMemo(context.Cache, loader.ReadKeys());
        examinations?.Prefetch(recipe.Sources.Skip(1).Select(source => source.Name));
        var transformed = TransformPlan.Create(recipe, loader.ReadRuns(cancellationToken), spool, examinations, cancellationToken);
        context.Timings.Add(("read, transform", (context.Clock.Elapsed - readStarted).TotalSeconds));
        Evaluation.HeldOutFile.Write(outputDirectory, transformed.HeldOut);

        // Each file source's conversations are a segment packed into shards of its own; one whose packed entry exists
        // (same files, same decisions about them, same settings from rendering on) is copied, not read or tokenized.
        var readKeys = loader.ReadKeys();
        var sourceSegments = transformed.Segments.Select(s => new StoredSegment(s.Source, s.Conversations, readKeys.TryGetValue(s.Source, out var readKey) ? PackedStore.Identity(s.Source, readKey, s.Decisions) : null)).ToList();
        var layout = Layout(context, sourceSegments, examples: null);
        try
        {
            var omitted = Reuse(context, layout, outputDirectory);
            var documents = Tokenize(context, transformed.Conversations(omitted, cancellationToken), transformed.Plan, cancellationToken);
            if (context.Cache is not null)
            {
                documents = Stored(documents, layout, context.Cache, key, () => new StoredSummary
                {
                    Sources = loader.Statistics,
                    Transforms = transformed.Statistics,
                    Segments = sourceSegments,
                    Examples = [.. layout.Select(segment => segment.Candidates.All)],
                    ExampleForms = FormsOf(layout, transformed.Plan),
                    Quarantine = loader.QuarantinedText(),
                    HeldOut = transformed.HeldOut,
                    Tokenizer = context.Tokenizer.Info,
                });
            }

            var result = Finish(context, documents, layout, transformed.Plan, outputDirectory, key, fromCache: false, () => (loader.Statistics, transformed.Statistics), tokenizerInfo: null);
            return result with { SourcesFromCache = loader.ReusedSources, SourcesExaminedFromCache = examinations?.Reused ?? 0, Spooled = spool.Spilled };
        }
        catch (CacheEntryDamagedException) when (layout.Any(segment => segment.Copy is { IsFaulted: true } || segment.TokenFiles is { IsFaulted: true }) && options.RetriesLeft > 0)
        {
            // A packed or rows entry turned out damaged while its files were taken, after the stream was planned without
            // them: it is deleted and reported; compile again without it (once), keeping the warning.
            var warnings = context.Cache!.Warnings;
            return CompileOnce(recipe, outputDirectory, options with { RetriesLeft = options.RetriesLeft - 1, EarlierWarnings = [.. options.EarlierWarnings, .. warnings] }, cancellationToken);
        }
        finally
        {
            Release(layout);
        }
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
        var documents = Tokenize(context, conversations, plan, cancellationToken);
        return Finish(context, documents, Layout(context, [], examples: null), plan, outputDirectory, stageKey: null, fromCache: false, () => ([], new TransformStatistics()), tokenizerInfo: null);
    }

    /// <summary>
    /// The segments the documents come in: one per source segment given, then the rest (the built samples). Each
    /// with an identity gets its packed-stage key; a token budget, which chooses among every sample, packs them all
    /// as one and stores none.
    /// </summary>
    private static List<Segment> Layout(CompileContext context, IReadOnlyList<StoredSegment> sources, IReadOnlyList<IReadOnlyList<Conversation>>? examples)
    {
        var budgeted = context.Recipe.Mixing.MaxTokens > 0;
        var segments = new List<Segment>(sources.Count + 1);
        for (int i = 0; i <= sources.Count; i++)
        {
            var source = i < sources.Count ? sources[i] : null;
            var identity = budgeted ? null : source?.Identity;
            segments.Add(new Segment(
                source?.Source,
                source?.Documents,
                identity is null ? null : PackedStore.Key(identity, context.PackingSettings),
                new ExampleCandidates(examples is not null && i < examples.Count ? examples[i] : null))
            {
                PartKey = source?.Identity is { } partIdentity ? SampleStore.PartKey(partIdentity, context.RenderSettings) : null,
                RowsKey = identity is null ? null : RowsStore.Key(identity, context.RowsSettings),
            });
        }

        return segments;
    }

    /// <summary>
    /// Starts copying the shards of each segment whose packed entry the cache holds into temp files beside the
    /// output's, on a thread of its own (the entry opened there, its bytes hashed as they are read); the sources whose
    /// output is thus known. An entry that turns out damaged or gone fails its copy, which restarts the compile.
    /// </summary>
    private static HashSet<string> Reuse(CompileContext context, List<Segment> segments, string outputDirectory)
    {
        var reused = new HashSet<string>(StringComparer.Ordinal);
        foreach (var segment in segments)
        {
            if (segment.PackedKey is not { } key || segment.Source is null || context.Cache is not { } cache)
            {
                continue;
            }

            if (!cache.Contains(PackedStore.Stage, key))
            {
                // Packed otherwise, perhaps into the rows of an earlier compile: those token files are taken meanwhile.
                if (context.Options.ReuseTokenFiles && segment.RowsKey is { } rowsKey && RowsStore.Find(cache, rowsKey) is { } rows)
                {
                    Directory.CreateDirectory(outputDirectory);
                    segment.Rows = rows;
                    segment.TokenFiles = Task.Factory.StartNew(
                        () => RowsStore.Take(cache, rowsKey, rows, shard => Path.Combine(outputDirectory, FormattableString.Invariant($"shard-rows-{shard}{Shards.ShardFormat.Extension}"))),
                        CancellationToken.None,
                        TaskCreationOptions.LongRunning,
                        TaskScheduler.Default);
                }

                continue;
            }

            Directory.CreateDirectory(outputDirectory);
            segment.Copy = Task.Factory.StartNew(
                () =>
                {
                    var (summary, temps) = PackedStore.Take(cache, key, shard => Path.Combine(outputDirectory, FormattableString.Invariant($"shard-copy-{shard}{Shards.ShardFormat.Extension}")));
                    return new CopiedSegment(summary, temps);
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
            reused.Add(segment.Source);
        }

        return reused;
    }

    /// <summary>Waits for the copies <see cref="Reuse"/> started and removes the temp files no shard took.</summary>
    private static void Release(List<Segment> segments)
    {
        foreach (var segment in segments)
        {
            if (segment.TokenFiles is { } tokenFiles)
            {
                try
                {
                    // Those not renamed into place (a compile that failed or started again).
                    Threading.Blocking.Wait(tokenFiles).ToList().ForEach(File.Delete);
                }
                catch (Exception e) when (e is CacheEntryDamagedException or IOException or InvalidDataException or UnauthorizedAccessException)
                {
                }
            }

            if (segment.Copy is not { } copy)
            {
                continue;
            }

            try
            {
                foreach (var (tokens, mask) in Threading.Blocking.Wait(copy).Temps)
                {
                    File.Delete(tokens);
                    File.Delete(mask);
                }
            }
            catch (Exception e) when (e is CacheEntryDamagedException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // A copy that failed removed its own temp files; the compile reports the failure where it waited for it.
            }
        }
    }

    /// <summary>The form the plan gives each report-example candidate, for a reuse of the samples stage.</summary>
    private static Dictionary<string, RenderForm> FormsOf(List<Segment> segments, RenderPlan plan)
    {
        var forms = new Dictionary<string, RenderForm>(StringComparer.Ordinal);
        foreach (var candidate in segments.SelectMany(segment => segment.Candidates.All))
        {
            forms.TryAdd(candidate.Id, plan.FormOf(candidate));
        }

        return forms;
    }

    /// <summary>Renders and tokenizes on every core (results in input order), each document with its conversation.</summary>
    private static IEnumerable<(Conversation? Conversation, TokenizedDocument Document)> Tokenize(CompileContext context, IEnumerable<Conversation> conversations, RenderPlan plan, CancellationToken cancellationToken)
    {
        var recipe = context.Recipe;
        var parallel = new ParallelTokenizer(context.Tokenizer, t => new SampleTokenizer(t, context.Template, recipe.Masking, plan, context.Memo).Document);
        var threads = context.Threads;
        try
        {
            foreach (var (conversation, document) in parallel.TokenizeAll(conversations, threads, cancellationToken))
            {
                yield return (conversation, document);
            }

            context.Memo?.Save();
        }
        finally
        {
            context.Memo?.Dispose();
        }
    }

    /// <summary>
    /// Passes the documents through while storing them in the samples stage (encoded and hashed on each entry's own
    /// thread): each source segment with an identity into its part (unless the cache has it), the others' and the
    /// built samples into the recipe's entry, published with the summary once every document went past. A segment
    /// taken from the packed stage sends no documents; its part is the one an earlier compile stored.
    /// </summary>
    private static IEnumerable<(Conversation? Conversation, TokenizedDocument Document)> Stored(
        IEnumerable<(Conversation? Conversation, TokenizedDocument Document)> documents,
        List<Segment> layout,
        StageCache cache,
        string key,
        Func<StoredSummary> summary)
    {
        using var recipeEntry = new BackgroundEntryWriter<TokenizedDocument, StoredSummary>(SampleStore.Create(cache, key));
        using var stream = documents.GetEnumerator();
        foreach (var segment in layout)
        {
            if (segment.Copy is not null)
            {
                continue;
            }

            var part = segment.PartKey is { } partKey && !cache.Contains(SampleStore.Stage, partKey)
                ? new BackgroundEntryWriter<TokenizedDocument, SamplesPart>(SampleStore.CreatePart(cache, partKey))
                : null;
            try
            {
                long count = 0;
                while ((segment.Documents is null || count < segment.Documents) && stream.MoveNext())
                {
                    count++;
                    var pair = stream.Current;
                    if (segment.PartKey is null)
                    {
                        recipeEntry.Add(pair.Document);
                    }
                    else
                    {
                        part?.Add(pair.Document);
                    }

                    yield return pair;
                }

                part?.Commit(new SamplesPart(segment.Source!, count));
            }
            finally
            {
                part?.Dispose();
            }
        }

        if (stream.MoveNext())
        {
            throw new InvalidOperationException("More documents came than the segments hold.");
        }

        recipeEntry.Commit(summary());
    }

    /// <summary>
    /// Finishes from the samples stage: each source segment's documents from its part (or, without an identity, from
    /// the recipe's entry, which holds the built samples last), a segment whose packed entry exists copied instead. Null
    /// when a part is missing, or when an entry turned out damaged on the way (deleted, warned): build it again.
    /// </summary>
    private static CompileResult? FromSamplesStage(CompileContext context, StreamedEntryReader<TokenizedDocument, StoredSummary> stored, string outputDirectory, string key)
    {
        var recipe = context.Recipe;
        var parts = new List<StreamedEntryReader<TokenizedDocument, SamplesPart>?>();
        List<Segment>? layout = null;
        try
        {
            var summary = stored.Summary;
            layout = Layout(context, summary.Segments, summary.Examples);
            Reuse(context, layout, outputDirectory);
            foreach (var segment in layout)
            {
                // A segment whose token files are reused needs its documents' runs and lengths only.
                var part = segment.Copy is null && segment.PartKey is { } partKey ? SampleStore.OpenPart(context.Cache!, partKey, withIds: segment.Rows is null) : null;
                if (part is null && segment.Copy is null && segment.PartKey is not null)
                {
                    return null;
                }

                parts.Add(part);
            }

            SourceLoader.RestoreQuarantine(recipe, outputDirectory, summary.Quarantine);
            Evaluation.HeldOutFile.Write(outputDirectory, summary.HeldOut);
            var plan = new RenderPlan(recipe.Seed, recipe.Capabilities, summary.ExampleForms);
            // Decoded on a thread of their own while the compile weighs and packs those before them.
            var documents = Threading.ReadAhead.Of(StoredDocuments(layout, parts, stored));
            return Finish(context, documents, layout, plan, outputDirectory, key, fromCache: true, () => (summary.Sources, summary.Transforms), summary.Tokenizer);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The entries are checked as their documents stream, so one can turn out damaged (deleted, warned) only
            // now, before the manifest is written; a failure on the way may be that damage. Build it again.
            if (e is not CacheEntryDamagedException && !stored.IsDamaged() && !parts.Any(part => part?.IsDamaged() == true))
            {
                throw;
            }

            return null;
        }
        finally
        {
            stored.Dispose();
            parts.ForEach(part => part?.Dispose());
            if (layout is not null)
            {
                Release(layout);
            }
        }
    }

    /// <summary>The stored documents in segment order: a part's from the part, the others' and the built samples from the recipe's entry.</summary>
    private static IEnumerable<(Conversation? Conversation, TokenizedDocument Document)> StoredDocuments(
        List<Segment> layout,
        List<StreamedEntryReader<TokenizedDocument, SamplesPart>?> parts,
        StreamedEntryReader<TokenizedDocument, StoredSummary> stored)
    {
        using var rest = stored.Records().GetEnumerator();
        for (int i = 0; i < layout.Count; i++)
        {
            var segment = layout[i];
            if (segment.Copy is not null)
            {
                continue;
            }

            if (parts[i] is { } part)
            {
                foreach (var document in part.Records())
                {
                    yield return (null, document);
                }

                continue;
            }

            for (long n = 0; (segment.Documents is null || n < segment.Documents) && rest.MoveNext(); n++)
            {
                yield return (null, rest.Current);
            }
        }

        // To its end, so its hash is checked.
        while (rest.MoveNext())
        {
            throw new InvalidDataException("The samples entry holds more documents than its segments.");
        }
    }

    /// <summary>
    /// Everything after the documents, identical whether they were just tokenized or read from the samples stage:
    /// weigh → over-length → token budget → pack → shards, report, manifest. Memory stays flat (a window of
    /// rows at a time) unless a token budget needs every sample before choosing. Each segment is packed into shards
    /// of its own and stored in the packed stage; a segment found there is copied instead (its documents are not in
    /// <paramref name="documents"/>).
    /// </summary>
    private static CompileResult Finish(
        CompileContext context,
        IEnumerable<(Conversation? Conversation, TokenizedDocument Document)> documents,
        List<Segment> segments,
        RenderPlan plan,
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
        // With threads to spare, a full window is packed beside the stream (ShardPacker says why).
        using var packer = new ShardPacker(length, recipe.Sequence.Packing, info.EndOfText, RowsPerShard, shardWriter, background: context.Threads > 1);
        var totals = new SegmentTally();

        // A segment is stored once the next document has been asked for: documents streamed from a part of the samples
        // stage are checked when the part ends, which is then behind them.
        var toStore = new List<Action>();
        var storing = new List<Task>();
        void StartStoring()
        {
            storing.AddRange(toStore.Select(Task.Run));
            toStore.Clear();
        }

        // A token budget needs every sample before choosing; without one, samples stream straight to the shards.
        var budgeted = recipe.Mixing.MaxTokens > 0 ? new List<SampleView>() : null;
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Keep(SampleView sample, SegmentTally tally)
        {
            tally.LengthBuckets[Math.Min(7, (sample.Length - 1) * 8 / length)]++;
            tally.Documents++;
            tally.Tokens += sample.Length;
            tally.SupervisedTokens += sample.SupervisedCount;
            var kind = KindName(sample.Kind);
            tally.SupervisedTokensByKind[kind] = tally.SupervisedTokensByKind.GetValueOrDefault(kind) + sample.SupervisedCount;
            tally.Capabilities.Add(sample);
            packer.Add(sample);
        }

        var started = context.Clock.Elapsed;
        var documentsTime = TimeSpan.Zero;
        int reusedSegments = 0, tokenFilesReused = 0;
        using var stream = Timed(documents, elapsed => documentsTime += elapsed).GetEnumerator();
        foreach (var segment in segments)
        {
            if (segment.Copy is { } copy)
            {
                var (summary, temps) = Threading.Blocking.Wait(copy);
                for (int shard = 0; shard < temps.Count; shard++)
                {
                    shardWriter.AddStored(summary.Shards[shard], temps[shard]);
                }

                segment.Copy = Task.FromResult(new CopiedSegment(summary, []));
                shardWriter.EndSegment();
                totals.Add(summary.Tally);
                segment.Candidates = new ExampleCandidates(summary.Candidates, summary.Written);
                reusedSegments++;
                continue;
            }

            var tally = new SegmentTally();
            var candidates = segment.Candidates;
            var kept = new KeptSamples();
            var reusesTokens = budgeted is null && segment.Rows is not null;
            if (reusesTokens)
            {
                shardWriter.ReuseTokens(segment.Rows!.Shards, segment.TokenFiles!);
            }

            for (long n = 0; segment.Documents is not { } count || n < count; n++)
            {
                var more = stream.MoveNext();
                if (toStore.Count > 0)
                {
                    StartStoring();
                }

                if (!more)
                {
                    if (segment.Documents is null)
                    {
                        break;
                    }

                    throw new InvalidOperationException($"Source '{segment.Source}' gave {n} documents; the plan emits {segment.Documents}.");
                }

                var (conversation, document) = stream.Current;
                if (conversation is not null)
                {
                    candidates.Offer(conversation);
                }

                tally.Conversations++;
                var kind = KindName(document.Kind);
                tally.ConversationsByKind[kind] = tally.ConversationsByKind.GetValueOrDefault(kind) + 1;

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
                        tally.Dropped++;
                        var d = tally.OverLengthBySource.GetValueOrDefault(document.Source) ?? new OverLengthCounts();
                        tally.OverLengthBySource[document.Source] = d with { Dropped = d.Dropped + 1 };
                        continue;
                    case OverLengthOutcome.Truncated:
                        tally.Truncated++;
                        var t = tally.OverLengthBySource.GetValueOrDefault(document.Source) ?? new OverLengthCounts();
                        tally.OverLengthBySource[document.Source] = t with { Truncated = t.Truncated + 1 };
                        break;
                }

                var sample = weighed!;
                if (sample.SupervisedCount == 0)
                {
                    tally.Unsupervised++;
                    continue;
                }

                candidates.Written(document.Id);
                kept.Add(n, sample.Length);
                if (budgeted is not null)
                {
                    budgeted.Add(sample);
                }
                else
                {
                    Keep(sample, tally);
                }
            }

            totals.Add(tally);
            if (budgeted is not null)
            {
                continue;
            }

            packer.Flush();
            var shards = shardWriter.EndSegment();
            var keptDigest = kept.Digest();
            if (reusesTokens && keptDigest != segment.Rows!.Kept)
            {
                throw new TokenFilesMismatchException($"Source '{segment.Source}': the capability weights keep other samples than the token files reused hold.");
            }

            if (segment.PackedKey is { } packedKey && context.Cache is not null)
            {
                var summary = new PackedSummary { Tally = tally, Candidates = candidates.All, Written = candidates.WrittenIds };
                var rowsKey = reusesTokens ? null : segment.RowsKey;
                toStore.Add(() =>
                {
                    var written = shards.Select(s => (s.Path, Threading.Blocking.Wait(s.Written))).ToList();
                    PackedStore.Store(context.Cache!, packedKey, written, summary with { Shards = [.. written.Select(w => w.Item2)] });
                    if (rowsKey is not null)
                    {
                        RowsStore.Store(context.Cache!, rowsKey, keptDigest, written);
                    }
                });
            }

            if (reusesTokens)
            {
                tokenFilesReused++;
            }
        }

        if (stream.MoveNext())
        {
            throw new InvalidOperationException("More documents came than the segments hold.");
        }

        StartStoring();

        long budgetRemoved = 0;
        if (budgeted is not null)
        {
            var limited = Mixer.LimitTokens(budgeted, v => v.Id, v => v.Length, recipe.Mixing.MaxTokens, recipe.Seed);
            budgetRemoved = budgeted.Count - limited.Count;
            limited.ForEach(sample => Keep(sample, totals));
            packer.Flush();
        }

        var (sources, transforms) = inputs();
        if (totals.Documents == 0)
        {
            throw new DiagnosticException(Diagnostic.Error(
                DiagnosticCodes.NoSupervisedTokens,
                $"Recipe '{recipe.Name}' produced no sample with a supervised token ({totals.Conversations} conversations read, {totals.Dropped} dropped as over-length, {totals.Unsupervised} without an assistant turn to learn).",
                recipe.FilePath));
        }

        var diagnostics = new List<Diagnostic>([.. context.Options.EarlierWarnings, .. context.Cache?.Warnings ?? []]);

        // Every row is packed, so the statistics are final: the charts (which show only them) are drawn while the last
        // shards are written and hashed; the shards go into the manifest once they are all done.
        var stages = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (stageKey is not null)
        {
            stages[SampleStore.Stage] = stageKey;
        }

        foreach (var segment in segments.Where(s => s.PackedKey is not null))
        {
            stages[$"{PackedStore.Stage}/{segment.Source}"] = segment.PackedKey!;
        }

        var manifest = new DatasetManifest
        {
            Recipe = recipe.Name,
            CompilerVersion = CompilerInfo.Version,
            Seed = recipe.Seed,
            SettingsHash = Hashing.ContentHash.OfText(context.DataSettings),
            Overrides = [.. recipe.Overrides.Select(o => o.ToString())],
            RecipeFiles = [.. recipe.Files.Select(f => Path.GetRelativePath(recipe.Directory, f).Replace('\\', '/'))],
            Settings = System.Text.Json.Nodes.JsonNode.Parse(context.DataSettings),
            Stages = stages,
            Tokenizer = info,
            Template = context.Template.Name,
            SequenceLength = length,
            Shards = [],
            Statistics = new DatasetStatistics
            {
                Conversations = totals.Conversations,
                Documents = totals.Documents,
                Tokens = totals.Tokens,
                SupervisedTokens = totals.SupervisedTokens,
                PaddingTokens = (shardWriter.RowCount * length) - totals.Tokens,
                Truncated = totals.Truncated,
                Dropped = totals.Dropped,
                Unsupervised = totals.Unsupervised,
                Sources = sources,
                OverLengthBySource = totals.OverLengthBySource,
                LengthHistogram = new SortedDictionary<int, long>(Enumerable.Range(0, 8).ToDictionary(b => (b + 1) * length / 8, b => totals.LengthBuckets[b])),
                ConversationsByKind = totals.ConversationsByKind,
                SupervisedTokensByKind = totals.SupervisedTokensByKind,
                Capabilities = totals.Capabilities.Measure(plan),
                Transforms = transforms with { TokenBudgetRemoved = budgetRemoved },
            },
        };

        var charts = context.Options.Charts;
        var measured = manifest;
        var drawing = Task.Run(() => DatasetReport.Draw(measured, charts));
        manifest = manifest with { Shards = shardWriter.Complete() };
        Threading.Blocking.Wait(Task.WhenAll(storing));
        var written = context.Clock.Elapsed;

        var manifestJson = manifest.ToJson();
        var sampler = new SampleTokenizer(context.Tokenizer, context.Template, recipe.Masking, plan);
        diagnostics.AddRange(DatasetReport.Write(outputDirectory, manifest, sampler, ExampleCandidates.Chosen(segments.Select(s => s.Candidates)), drawing));
        var manifestPath = Path.Combine(outputDirectory, ManifestFileName);
        AtomicFile.WriteAllText(manifestPath, manifestJson);
        context.Timings.Add((fromCache ? "documents (samples stage)" : "documents (render, tokenize)", documentsTime.TotalSeconds));
        context.Timings.Add(("weigh, pack, write", (written - started - documentsTime).TotalSeconds));
        context.Timings.Add(("report, manifest", (context.Clock.Elapsed - written).TotalSeconds));
        return new CompileResult(manifestPath, manifest, diagnostics)
        {
            Timings = context.Timings,
            SamplesFromCache = fromCache ? totals.Conversations : context.Memo?.Hits ?? 0,
            SamplesTokenized = fromCache ? 0 : context.Memo?.Misses ?? totals.Conversations,
            SamplesStageReused = fromCache,
            SegmentsReused = reusedSegments,
            SegmentsMaskOnly = tokenFilesReused,
            Segments = segments.Count(s => s.Source is not null),
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

    /// <summary>
    /// A run of the documents packed into shards of its own: one source's (<see cref="Documents"/> of them) or the rest.
    /// With a packed-stage key it is stored there; <see cref="Copy"/> is its entry being copied when found (then its documents
    /// do not come at all).
    /// </summary>
    private sealed class Segment(string? source, long? documents, string? packedKey, ExampleCandidates candidates)
    {
        public string? Source { get; } = source;

        /// <summary>How many documents it has; null for the last segment, which takes the rest.</summary>
        public long? Documents { get; } = documents;

        public string? PackedKey { get; } = packedKey;

        /// <summary>The key of its part of the samples stage; null when its documents go into the recipe's entry.</summary>
        public string? PartKey { get; init; }

        /// <summary>Its packed entry, being copied into temp files (renamed into place when the segment's turn comes); null when it is packed here.</summary>
        public Task<CopiedSegment>? Copy { get; set; }

        /// <summary>The key of its rows-stage entry (its token files, whatever the capability weights); null when it has no identity.</summary>
        public string? RowsKey { get; init; }

        /// <summary>Its rows entry, when its packed entry is missing but its token files are stored: it packs masks only.</summary>
        public RowsEntry? Rows { get; set; }

        /// <summary>The rows entry's token files, being taken into temp files (renamed into place as its shards are written).</summary>
        public Task<IReadOnlyList<string>>? TokenFiles { get; set; }

        /// <summary>Its report-example candidates (given by the samples stage, offered as its conversations pass, or from its entry).</summary>
        public ExampleCandidates Candidates { get; set; } = candidates;
    }

    /// <summary>
    /// What turns a segment's conversations into its shards besides the conversations and the plan's decisions:
    /// rendering (compiler, tokenizer content, template, masking), the capability weights and the seed they draw
    /// with, the sequence settings and the shard size.
    /// </summary>
    private static string PackingIdentity(string dataSettings, bool withCapabilities = true)
    {
        var settings = System.Text.Json.Nodes.JsonNode.Parse(dataSettings)!;
        var names = withCapabilities ? new[] { "compiler", "tokenizer", "template", "masking", "capabilities", "seed", "sequence" } : ["compiler", "tokenizer", "template", "masking", "seed", "sequence"];
        var parts = names.Select(name => settings[name]?.ToJsonString());
        return string.Join("\n", parts.Append(FormattableString.Invariant($"rows_per_shard {RowsPerShard}")));
    }

    /// <summary>The packed and rows stages' settings (<see cref="PackingIdentity"/> with and without the capability weights), for <c>explain</c>.</summary>
    internal static (string Packing, string Rows) SegmentSettings(string dataSettings) =>
        (PackingIdentity(dataSettings), PackingIdentity(dataSettings, withCapabilities: false));

    /// <summary>A packed entry's summary and its shards, copied into temp files in shard order.</summary>
    private sealed record CopiedSegment(PackedSummary Summary, IReadOnlyList<(string Tokens, string Mask)> Temps);

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
            _tokenizer = Task.Run(() => options.Tokenizers?.Load(recipe.Tokenizer) ?? TokenizerLoader.Load(recipe.Tokenizer));
            Template = ChatTemplates.Get(recipe.Template);
            Cache = options.CacheDirectory is null ? null : new StageCache(options.CacheDirectory);
            DataSettings = RecipeFingerprint.DataSettings(recipe);
            RenderSettings = RenderIdentity(DataSettings);
            Memo = Cache is null ? null : new DocumentMemo(Cache, RenderSettings);
            PackingSettings = PackingIdentity(DataSettings);
            RowsSettings = PackingIdentity(DataSettings, withCapabilities: false);
        }

        public Recipe Recipe { get; }

        /// <summary>The recipe's data settings, computed once (they hash the tokenizer and template files).</summary>
        public string DataSettings { get; }

        /// <summary>What decides a conversation's tokens and segments besides the conversation: <see cref="RenderIdentity"/>.</summary>
        public string RenderSettings { get; }

        /// <summary>What turns a segment's conversations into rows: <see cref="PackingIdentity"/>.</summary>
        public string PackingSettings { get; }

        /// <summary>The same but the capability weights and policy, which change only masks: what the rows stage is keyed by.</summary>
        public string RowsSettings { get; }

        public CompileOptions Options { get; }

        /// <summary>The threads the compile works on: <see cref="CompileOptions.Threads"/>, or every core when it is 0.</summary>
        public int Threads => Options.Threads > 0 ? Options.Threads : ParallelTokenizer.DefaultThreads;

        public LoadedTokenizer Tokenizer => Threading.Blocking.Wait(_tokenizer);

        public ChatTemplate Template { get; }

        public StageCache? Cache { get; }

        /// <summary>Null without a cache: nothing to remember between compiles, so no key is hashed and no document kept.</summary>
        public DocumentMemo? Memo { get; }

        public System.Diagnostics.Stopwatch Clock { get; } = System.Diagnostics.Stopwatch.StartNew();

        public List<(string Stage, double Seconds)> Timings { get; } = [];
    }
}
