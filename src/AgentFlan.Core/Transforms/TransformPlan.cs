using System.Runtime.InteropServices;
using AgentFlan.Conversations;
using AgentFlan.Hashing;
using AgentFlan.Recipes;
using AgentFlan.Templates;
using AgentFlan.Threading;

namespace AgentFlan.Transforms;

/// <summary>
/// The Agent-FLAN transforms (<see cref="AgentFlanTransforms"/>) decided on compact facts and applied as the
/// conversations stream past, so no step holds the corpus: memory grows with a few dozen bytes per conversation
/// (id, kind, flags) plus the held-out conversations and the bases of the built samples.
/// <para>Passes over the <see cref="ConversationSpool"/>: <b>facts</b> (as the sources are read: kind, whether it
/// calls tools or has a user turn, its exact-duplicate key, and, when the held-out queries do not depend on the
/// corpus, its contamination); <b>held out</b> (only with <c>held_out.fraction</c>: collect them, then mark
/// contamination against their queries); <b>candidates</b> (only for <c>irrelevant_tools</c> negatives together
/// with <c>max_samples</c>, whose ranking needs every id first: which general conversations share no word with some
/// catalogue tool — otherwise that is read during the last pass); then <see cref="Conversations"/> emits the
/// training samples. Everything between passes — deduplication, held-out split, source weights, alignment, which
/// bases the format-following and negative samples use, the general ratio, the sample budget — is a function of
/// the facts, so the output is the same conversation for conversation whether the spool is in memory or on disk.</para>
/// </summary>
public sealed class TransformPlan
{
    private readonly Recipe _recipe;
    private readonly ConversationSpool _spool;
    private readonly Caching.ExaminationMemo? _memo;
    private readonly List<Fact> _facts;
    private readonly IdStore _ids = new();
    private readonly List<string> _sources = [];
    private readonly List<Item> _items = [];
    private readonly List<Built> _built = [];

    /// <summary>
    /// <c>irrelevant_tools</c> negatives decided during the last pass (without <c>max_samples</c>, whose ranking needs
    /// every id first): which ranked general conversations are candidates is read there, saving a pass over the spool.
    /// </summary>
    private readonly List<Deferred> _deferred = [];
    private readonly SortedDictionary<string, long> _byKind;
    private List<int>? _irrelevantBases;
    private TransformStatistics _statistics;
    private TransformStatistics? _final;
    private readonly bool[]? _keep;
    private readonly List<ToolSpec> _catalogue = [];
    private readonly List<HashSet<string>> _catalogueWords = [];

    private TransformPlan(Recipe recipe, IEnumerable<Compilation.SourceRun> runs, ConversationSpool spool, Caching.ExaminationMemo? memo, CancellationToken cancellationToken)
    {
        _recipe = recipe;
        _spool = spool;
        _memo = memo;
        var seed = recipe.Seed;
        var negatives = recipe.Negatives;
        var kinds = negatives.Kinds;
        var wantsCatalogue = (negatives.Count > 0 || negatives.Ratio > 0) && kinds.Any(k => k != "no_tools");

        // Pass 1, as the sources are read: facts and exact-duplicate keys.
        var decontaminator = recipe.HeldOut.Fraction == 0 ? Decontamination([]) : null;
        var facts = new List<Fact>();
        var keepers = new Dictionary<Digest128, int>();
        var sources = new Dictionary<string, int>(StringComparer.Ordinal);
        void Add(Conversation conversation, Digest128 key, bool contaminated)
        {
            // Into the spool only once examined: a spill reads every conversation in it, never one still being examined.
            spool.Add(conversation);
            var hasUser = conversation.Messages.Any(m => m.Role == Role.User);
            AddFacts(conversation.Provenance.Source, conversation.Id, conversation.Kind, Kinds.HasCalls(conversation), hasUser, wantsCatalogue ? conversation.Tools : null, key, contaminated);
        }

        void AddFacts(string source, ReadOnlySpan<char> knownId, ConversationKind kind, bool hasCalls, bool hasUser, IReadOnlyList<ToolSpec>? tools, Digest128 key, bool contaminated)
        {
            if (!sources.TryGetValue(source, out var sourceIndex))
            {
                sources[source] = sourceIndex = _sources.Count;
                _sources.Add(source);
            }

            var ordinal = facts.Count;
            if (!keepers.TryGetValue(key, out var kept) || knownId.SequenceCompareTo(_ids.Chars(facts[kept].Id)) < 0)
            {
                keepers[key] = ordinal;
            }

            var id = _ids.Add(knownId);
            facts.Add(new Fact
            {
                IdAt = id.At,
                IdLength = id.Length,
                Source = checked((ushort)sourceIndex),
                RawKind = kind,
                Kind = negatives.Source is { } negativeSource && source == negativeSource ? ConversationKind.Negative : kind,
                HasCalls = hasCalls,
                HasUser = hasUser,
                Tools = tools,
                Contaminated = contaminated,
            });
        }

        // The per-conversation work (duplicate key, contamination) is done where the runs make their conversations — on
        // the reader's threads, or a thread reading ahead (SourceRun) — and the facts are added here, in source order.
        // Sources examined before are looked up, not examined.
        var examiner = new SourceExaminer(memo, decontaminator);
        foreach (var run in runs)
        {
            // A source the read stage replays and the examined stage knows in full: its facts, not its text.
            if (run.Replayable && !wantsCatalogue && memo is not null && examiner.Known(run.Source) is { } known)
            {
                spool.AddReplayed(run.Source, known.Keys.Count);
                for (int i = 0; i < known.Keys.Count; i++)
                {
                    var table = known.Facts!;
                    AddFacts(run.Source, table.Id(i), table.Kind(i), table.HasCalls(i), table.HasUser(i), null, known.Keys[i], examiner.ChecksContamination && known.Contaminated![i]);
                }

                continue;
            }

            foreach (var (conversation, examination) in run.Examine(examiner.NeedsText(run.Source) ? examiner.ExamineText : null))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var taken = examiner.Take(conversation, examination);
                Add(conversation, taken.Key, taken.Contaminated);
            }
        }

        examiner.Finish();
        if (memo is not null)
        {
            // With each conversation's facts, read from the plan's own compact copy (no string per conversation kept
            // while the sources are read).
            foreach (var (source, examination) in examiner.Examined)
            {
                var first = facts.FindIndex(f => _sources[f.Source] == source);
                memo.Remember(source, examination, writer =>
                {
                    for (int i = first; i < first + examination.Keys.Count; i++)
                    {
                        var fact = facts[i];
                        Caching.ExaminationMemo.WriteFacts(writer, _ids.Chars(fact.Id), fact.RawKind, fact.HasCalls, fact.HasUser);
                    }
                });
            }
        }

        _facts = facts;
        var isKeeper = new bool[_facts.Count];
        foreach (var ordinal in keepers.Values)
        {
            isKeeper[ordinal] = true;
        }

        keepers.Clear();
        keepers.TrimExcess();

        // Deduplication, then the held-out split (a stable hash of the id).
        var duplicates = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var heldOutBySource = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var heldOut = new bool[_facts.Count];
        var anyHeldOut = false;
        for (int i = 0; i < _facts.Count; i++)
        {
            ref var fact = ref CollectionsMarshal.AsSpan(_facts)[i];
            if (!isKeeper[i])
            {
                fact.Removed = true;
                Count(duplicates, fact);
            }
            else if (HeldOutSplit.IsHeldOut(_ids.Chars(fact.Id), recipe.HeldOut.Fraction, seed))
            {
                fact.Removed = true;
                heldOut[i] = anyHeldOut = true;
                Count(heldOutBySource, fact);
            }
        }

        // Pass 2, only with held_out.fraction: collect the held-out conversations, whose queries decide contamination.
        if (decontaminator is null)
        {
            HeldOut = anyHeldOut ? [.. Select(heldOut, cancellationToken).Select(x => x.Conversation)] : [];
            decontaminator = Decontamination(HeldOut);
            var training = new bool[_facts.Count];
            for (int i = 0; i < _facts.Count; i++)
            {
                training[i] = !_facts[i].Removed;
            }

            foreach (var (ordinal, conversation) in Select(training, cancellationToken))
            {
                CollectionsMarshal.AsSpan(_facts)[ordinal].Contaminated = decontaminator.IsContaminated(conversation);
            }
        }

        var contaminated = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < _facts.Count; i++)
        {
            ref var fact = ref CollectionsMarshal.AsSpan(_facts)[i];
            if (!fact.Removed && fact.Contaminated)
            {
                fact.Removed = true;
                Count(contaminated, fact);
            }
        }

        // Source weights, then alignment: the training items, in source order.
        var weights = recipe.Sources.ToDictionary(s => s.Name, s => s.Weight, StringComparer.Ordinal);
        var sourceWeights = _sources.Select(name => weights.GetValueOrDefault(name, 1.0)).ToArray();
        long added = 0, removed = 0;
        var byForm = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < _facts.Count; i++)
        {
            var fact = _facts[i];
            if (fact.Removed)
            {
                continue;
            }

            var copies = Mixer.Copies(sourceWeights[fact.Source], seed, _ids.Chars(fact.Id));
            removed += copies == 0 ? 1 : 0;
            added += Math.Max(0, copies - 1);
            for (int k = 0; k < copies; k++)
            {
                var item = new Item(i, k, fact.Kind);
                var kind = ChatAlignment.Align(ItemChars(item), fact.Kind, fact.HasCalls, recipe.Alignment.ReactFraction, seed);
                if (Kinds.IsTrajectory(kind, fact.HasCalls))
                {
                    var name = RenderForms.Name(RenderForms.Default(kind));
                    byForm[name] = byForm.GetValueOrDefault(name) + 1;
                }

                _items.Add(item with { Kind = kind });
            }
        }

        // Format-following samples on ranked trajectories.
        var forms = new Dictionary<string, RenderForm>(StringComparer.Ordinal);
        var byFormat = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var alignment = recipe.Alignment;
        var withUser = Ranked(item => IsTrajectory(item) && _facts[item.Ordinal].HasUser, FormatFollowing.Transform);
        if (alignment.FormatFollowingCount > 0 && withUser.Count > 0 && alignment.FormatFollowingFormats.Count > 0)
        {
            for (int j = 0; j < alignment.FormatFollowingCount; j++)
            {
                var (rank, format, id) = FormatFollowing.Choose(j, withUser.Count, alignment.FormatFollowingFormats, r => ItemId(_items[withUser[r]]));
                _built.Add(new Built(BuiltKind.FormatFollowing, withUser[rank], id, format));
                forms[id] = FormatFollowing.Form(format);
                byFormat[format] = byFormat.GetValueOrDefault(format) + 1;
            }
        }

        // Negatives: no_tools on ranked trajectories, irrelevant_tools on ranked general conversations.
        var trajectories = _items.Count(IsTrajectory);
        var negativeCount = negatives.Count > 0 ? negatives.Count : (int)Math.Round(negatives.Ratio * trajectories, MidpointRounding.AwayFromZero);
        var byKind = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (negativeCount > 0 && kinds.Count > 0)
        {
            for (int k = 0; k < kinds.Count; k++)
            {
                var n = NegativeSamples.Share(negativeCount, k, kinds.Count);
                var before = _built.Count;
                if (kinds[k] == "no_tools")
                {
                    var bases = Ranked(item => IsTrajectory(item) && _facts[item.Ordinal].HasUser, NegativeSamples.NoToolsTransform);
                    for (int j = 0; j < n && bases.Count > 0; j++)
                    {
                        var item = bases[j % bases.Count];
                        _built.Add(new Built(BuiltKind.NoTools, item, NegativeSamples.Id(kinds[k], j, bases.Count, ItemId(_items[item])), null));
                    }
                }
                else if (recipe.Mixing.MaxSamples <= 0)
                {
                    PrepareCatalogue();
                    _irrelevantBases ??= IrrelevantBases();
                    _deferred.Add(new Deferred(_built.Count, n, kinds[k]));
                }
                else
                {
                    var candidates = IrrelevantCandidates(cancellationToken);
                    for (int j = 0; j < n && candidates.Count > 0; j++)
                    {
                        var item = candidates[j % candidates.Count];
                        _built.Add(new Built(BuiltKind.IrrelevantTools, item, NegativeSamples.Id(kinds[k], j, candidates.Count, ItemId(_items[item])), null));
                    }
                }

                byKind[kinds[k]] = byKind.GetValueOrDefault(kinds[k]) + (_built.Count - before);
            }
        }

        if (negatives.Source is { } negativesSource)
        {
            byKind["source"] = _items.Count(item => _sources[_facts[item.Ordinal].Source] == negativesSource);
        }

        // The general ratio: copies per general item (agent = agent chat, ReAct and format-following).
        var general = new List<int>();
        long agent = 0;
        for (int i = 0; i < _items.Count; i++)
        {
            if (_items[i].Kind == ConversationKind.General)
            {
                general.Add(i);
            }

            agent += Kinds.IsAgent(_items[i].Kind) ? 1 : 0;
        }

        agent += _built.Count(b => b.Kind == BuiltKind.FormatFollowing);
        long generalAfter = general.Count;
        if (recipe.Mixing.GeneralRatio > 0 && general.Count > 0)
        {
            var target = Mixer.GeneralTarget(recipe.Mixing.GeneralRatio, agent);
            var ranked = RankItems(general, Mixer.GeneralTransform);
            generalAfter = 0;
            for (int rank = 0; rank < ranked.Count; rank++)
            {
                var copies = Mixer.GeneralShare(target, ranked.Count, rank);
                _items[ranked[rank]] = _items[ranked[rank]] with { Copies = copies };
                generalAfter += copies;
            }
        }

        // The sample budget over everything, in output order.
        long mixed = _items.Sum(i => i.Copies) + _built.Count;
        if (recipe.Mixing.MaxSamples > 0 && mixed > recipe.Mixing.MaxSamples)
        {
            // Position → (item, general copy) for the source samples; the built samples follow.
            var entries = new List<(int Item, long Copy)>((int)mixed);
            for (int i = 0; i < _items.Count; i++)
            {
                for (long g = 0; g < _items[i].Copies; g++)
                {
                    entries.Add((i, g));
                }
            }

            var sourceEntries = entries.Count;
            ulong Key(int position) => position >= sourceEntries
                ? StableRandom.Hash(seed, Mixer.SamplesTransform, _built[position - sourceEntries].Id)
                : StableRandom.Hash(seed, Mixer.SamplesTransform, ItemChars(_items[entries[position].Item], entries[position].Copy));

            string Id(int position) =>
                position >= sourceEntries ? _built[position - sourceEntries].Id : ItemId(_items[entries[position].Item], entries[position].Copy);

            _keep = new bool[mixed];
            foreach (var position in StableRandom.Rank((int)mixed, Key, Id).Take((int)recipe.Mixing.MaxSamples))
            {
                _keep[position] = true;
            }
        }

        long output = _keep is null ? mixed : _keep.Count(k => k);
        Plan = new RenderPlan(seed, recipe.Capabilities, forms);
        Segments = DescribeSegments();
        _byKind = byKind;
        _statistics = new TransformStatistics
        {
            Input = _facts.Count,
            DuplicatesBySource = duplicates,
            HeldOutBySource = heldOutBySource,
            DecontaminatedBySource = contaminated,
            WeightAdded = added,
            WeightRemoved = removed,
            AlignedByForm = byForm,
            FormatFollowingRequested = alignment.FormatFollowingCount,
            FormatFollowingByFormat = byFormat,
            NegativesRequested = negativeCount,
            NegativesByKind = byKind,
            GeneralBefore = general.Count,
            GeneralAfter = generalAfter,
            SampleBudgetRemoved = mixed - output,
            Output = output,
        };
    }

    private enum BuiltKind
    {
        FormatFollowing,
        NoTools,
        IrrelevantTools,
    }

    /// <summary>The per-sample rendering plan for the tokenizer: capability weights and the format-following forms.</summary>
    public RenderPlan Plan { get; }

    /// <summary>
    /// The training conversations of each source, in output order (the built samples follow them): how many
    /// <see cref="Conversations"/> emits for it and a digest of every decision that shaped them, so a source whose
    /// files and decisions are unchanged emits the very same conversations.
    /// </summary>
    public IReadOnlyList<PlanSegment> Segments { get; }

    /// <summary>What the transforms did; complete once <see cref="Conversations"/> has been enumerated (it builds the irrelevant-tools negatives).</summary>
    public TransformStatistics Statistics => _deferred.Count == 0 ? _statistics
        : _final ?? throw new InvalidOperationException("The transform statistics are complete once the conversations have been enumerated.");

    /// <summary>The conversations <c>held_out.fraction</c> kept out of training, in source order.</summary>
    public IReadOnlyList<Conversation> HeldOut { get; } = [];

    /// <summary>Reads <paramref name="conversations"/> into <paramref name="spool"/> and decides every transform.</summary>
    /// <param name="threads">Above 1, duplicate keys and contamination are computed on another thread, a few batches ahead; the plan is the same for any value.</param>
    /// <param name="memo">Examinations remembered per source (duplicate keys, contamination); null examines every conversation.</param>
    public static TransformPlan Create(Recipe recipe, IEnumerable<Conversation> conversations, ConversationSpool spool, int threads = 1, Caching.ExaminationMemo? memo = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        return Create(recipe, [new Compilation.SourceRun(string.Empty, conversations, replayable: false, threads)], spool, memo, cancellationToken);
    }

    /// <summary>
    /// Reads the sources' <paramref name="runs"/> into <paramref name="spool"/> and decides every transform. A replayable
    /// run whose examination the memo holds in full (keys, facts and, when needed, contamination against these
    /// queries) is not read at all: the spool counts it and replays it when a later pass needs its text.
    /// </summary>
    public static TransformPlan Create(Recipe recipe, IEnumerable<Compilation.SourceRun> runs, ConversationSpool spool, Caching.ExaminationMemo? memo = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(spool);
        if (spool.Count > 0)
        {
            throw new ArgumentException("The spool must start empty: the plan fills it.", nameof(spool));
        }

        return new TransformPlan(recipe, runs, spool, memo, cancellationToken);
    }

    /// <summary>
    /// The training conversations, streamed from the spool: each source conversation that stays, with its weight
    /// copies and general-ratio copies next to it, then the format-following samples, then the negatives.
    /// </summary>
    public IEnumerable<Conversation> Conversations(CancellationToken cancellationToken = default) => Conversations(null, cancellationToken);

    /// <summary>
    /// The training conversations as <see cref="Conversations(CancellationToken)"/> gives them, leaving out those of the
    /// sources in <paramref name="omitted"/> (their output is known already). An omitted source is not even read from
    /// the spool unless it holds bases of built samples.
    /// </summary>
    public IEnumerable<Conversation> Conversations(IReadOnlySet<string>? omitted, CancellationToken cancellationToken = default)
    {
        // Bases of built samples and kept candidates wait in a stash (in memory up to the spool's budget, then in a
        // temp file), so memory stays flat however many samples are built.
        var isBase = new HashSet<int>(_built.Select(b => b.Item));
        using var stash = new ConversationStash(_spool.BudgetBytes, _spool.SpillDirectory);

        // Deferred irrelevant-tools negatives: each ranked base is checked as it streams past; the best-ranked
        // candidates (as many as the most any kind asks for) are kept until the end.
        var rankOf = new Dictionary<int, int>();
        var candidateAt = new bool[_irrelevantBases?.Count ?? 0];
        var keptCandidates = new PriorityQueue<int, int>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        var most = _deferred.Count == 0 ? 0 : _deferred.Max(d => d.Count);
        for (int rank = 0; rank < candidateAt.Length; rank++)
        {
            rankOf[_irrelevantBases![rank]] = rank;
        }

        long position = 0;
        int next = 0;
        int ordinal = 0;
        var segmentOf = Segments.ToDictionary(segment => segment.Source, StringComparer.Ordinal);
        foreach (var run in _spool.ReadSegments())
        {
            var omit = omitted is not null && omitted.Contains(run.Source);
            if (omit && !segmentOf[run.Source].HoldsBases)
            {
                // Nothing of it is emitted or kept aside: step over its items without reading it.
                int end = ordinal + run.Count;
                for (; next < _items.Count && _items[next].Ordinal < end; next++)
                {
                    position += _items[next].Copies;
                }

                ordinal = end;
                continue;
            }

            foreach (var conversation in run.Conversations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (; next < _items.Count && _items[next].Ordinal == ordinal; next++)
                {
                    var item = _items[next];
                    var aligned = item.Copy == 0 && item.Kind == conversation.Kind ? conversation : conversation with { Id = Mixer.WeightCopyId(conversation.Id, item.Copy), Kind = item.Kind };
                    if (isBase.Contains(next))
                    {
                        stash.Put(next, aligned);
                    }

                    if (rankOf.TryGetValue(next, out var baseRank) && NegativeSamples.Irrelevant(aligned, _catalogue, _catalogueWords).Count > 0)
                    {
                        candidateAt[baseRank] = true;
                        stash.Put(next, aligned);
                        keptCandidates.Enqueue(next, baseRank);
                        if (keptCandidates.Count > most && keptCandidates.Dequeue() is var dropped && !isBase.Contains(dropped))
                        {
                            stash.Remove(dropped);
                        }
                    }

                    for (long g = 0; g < item.Copies; g++)
                    {
                        if (Keeps(position++) && !omit)
                        {
                            yield return g == 0 ? aligned : aligned with { Id = Mixer.GeneralCopyId(aligned.Id, g) };
                        }
                    }
                }

                ordinal++;
            }
        }

        var seed = _recipe.Seed;
        var candidates = Enumerable.Range(0, candidateAt.Length).Where(rank => candidateAt[rank]).Select(rank => _irrelevantBases![rank]).ToList();

        var deferredBuilt = new SortedDictionary<string, long>(_byKind, StringComparer.Ordinal);
        long deferredCount = 0;
        for (int slot = 0; slot <= _built.Count; slot++)
        {
            foreach (var deferred in _deferred.Where(d => d.Slot == slot))
            {
                for (int j = 0; j < deferred.Count && candidates.Count > 0; j++)
                {
                    var item = candidates[j % candidates.Count];
                    var id = NegativeSamples.Id(deferred.Kind, j, candidates.Count, ItemId(_items[item]));
                    var source = stash.Get(item);
                    deferredBuilt[deferred.Kind] = deferredBuilt.GetValueOrDefault(deferred.Kind) + 1;
                    deferredCount++;
                    yield return NegativeSamples.IrrelevantTools(source, id, NegativeSamples.Irrelevant(source, _catalogue, _catalogueWords), _recipe.Negatives.ToolsPerSample, seed);
                }
            }

            if (slot == _built.Count)
            {
                break;
            }

            var built = _built[slot];
            if (!Keeps(position++))
            {
                continue;
            }

            var baseConversation = stash.Get(built.Item);
            yield return built.Kind switch
            {
                BuiltKind.FormatFollowing => FormatFollowing.Build(baseConversation, built.Id, built.Format!, seed),
                BuiltKind.NoTools => NegativeSamples.NoTools(baseConversation, built.Id, seed),
                _ => NegativeSamples.IrrelevantTools(baseConversation, built.Id, NegativeSamples.Irrelevant(baseConversation, _catalogue, _catalogueWords), _recipe.Negatives.ToolsPerSample, seed),
            };
        }

        if (_deferred.Count > 0)
        {
            _final = _statistics with { NegativesByKind = deferredBuilt, Output = _statistics.Output + deferredCount };
        }
    }

    private bool Keeps(long position) => _keep is null || _keep[position];

    /// <summary>
    /// Each source's segment: its emitted conversations and a SHA-256 over every decision about them — per item its
    /// ordinal within the source, weight copy, aligned kind, general-ratio copies and which of those the sample
    /// budget keeps — and whether it holds bases of built samples (which then read it even when its output is known).
    /// </summary>
    private List<PlanSegment> DescribeSegments()
    {
        var holdsBases = new bool[_sources.Count];
        foreach (var built in _built)
        {
            holdsBases[_facts[_items[built.Item].Ordinal].Source] = true;
        }

        foreach (var item in _irrelevantBases ?? [])
        {
            holdsBases[_facts[_items[item].Ordinal].Source] = true;
        }

        var segments = new List<PlanSegment>(_sources.Count);
        int next = 0;
        long position = 0;
        int ordinal = 0;
        Span<byte> record = stackalloc byte[17];
        for (int source = 0; source < _sources.Count; source++)
        {
            int first = ordinal;
            while (ordinal < _facts.Count && _facts[ordinal].Source == source)
            {
                ordinal++;
            }

            using var digest = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            long emitted = 0;
            for (; next < _items.Count && _items[next].Ordinal < ordinal; next++)
            {
                var item = _items[next];
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(record, item.Ordinal - first);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(record[4..], item.Copy);
                record[8] = (byte)item.Kind;
                System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(record[9..], item.Copies);
                digest.AppendData(record);
                for (long g = 0; g < item.Copies; g++)
                {
                    var kept = Keeps(position++);
                    emitted += kept ? 1 : 0;
                    if (_keep is not null)
                    {
                        digest.AppendData(kept ? [1] : [0]);
                    }
                }
            }

            segments.Add(new PlanSegment(_sources[source], emitted, Convert.ToHexStringLower(digest.GetHashAndReset()), holdsBases[source]));
        }

        if (ordinal != _facts.Count)
        {
            throw new InvalidOperationException("A source's conversations were not read in one run.");
        }

        return segments;
    }

    private bool IsTrajectory(Item item) => Kinds.IsTrajectory(item.Kind, _facts[item.Ordinal].HasCalls);

    /// <summary>The indexes of the items that qualify, ranked by (seed, transform, id).</summary>
    private List<int> Ranked(Func<Item, bool> qualifies, string transform) =>
        RankItems([.. Enumerable.Range(0, _items.Count).Where(i => qualifies(_items[i]))], transform);

    /// <summary>The items (indexes) ranked by (seed, transform, id), as <see cref="StableRandom.Rank{T}"/> would.</summary>
    private List<int> RankItems(List<int> items, string transform) =>
        [.. StableRandom.Rank(items.Count, i => StableRandom.Hash(_recipe.Seed, transform, ItemChars(_items[items[i]])), i => ItemId(_items[items[i]])).Select(i => items[i])];

    /// <summary>The characters of an item's id — with the suffix of its general-ratio copy <paramref name="copy"/> — in the id store's buffer (valid until the next id is read).</summary>
    private ReadOnlySpan<char> ItemChars(Item item, long copy = 0)
    {
        var id = _facts[item.Ordinal].Id;
        if (item.Copy == 0 && copy == 0)
        {
            return _ids.Chars(id);
        }

        var weightCopy = Mixer.WeightCopyId(string.Empty, item.Copy);
        return _ids.Chars(id, copy == 0 ? weightCopy : Mixer.GeneralCopyId(weightCopy, copy));
    }

    private string ItemId(Item item, long copy = 0) => new(ItemChars(item, copy));

    private void Count(SortedDictionary<string, long> bySource, in Fact fact)
    {
        var source = _sources[fact.Source];
        bySource[source] = bySource.GetValueOrDefault(source) + 1;
    }

    /// <summary>
    /// General conversations with no tool and no call, ranked, that at least one catalogue tool is irrelevant to:
    /// a pass over the spool to read their words (each source conversation once, whatever its copies).
    /// </summary>
    private List<int> IrrelevantCandidates(CancellationToken cancellationToken)
    {
        PrepareCatalogue();
        var bases = IrrelevantBases();
        var wanted = new bool[_facts.Count];
        foreach (var item in bases)
        {
            wanted[_items[item].Ordinal] = true;
        }

        var candidate = new bool[_facts.Count];
        foreach (var (ordinal, conversation) in Select(wanted, cancellationToken))
        {
            candidate[ordinal] = NegativeSamples.Irrelevant(conversation, _catalogue, _catalogueWords).Count > 0;
        }

        return [.. bases.Where(item => candidate[_items[item].Ordinal])];
    }

    /// <summary>Every tool the training items offer, once per name, and each one's words.</summary>
    private void PrepareCatalogue()
    {
        if (_catalogue.Count == 0)
        {
            _catalogue.AddRange(NegativeSamples.Catalogue(_items.SelectMany(item => _facts[item.Ordinal].Tools!)));
            _catalogueWords.AddRange(_catalogue.Select(ToolRelevance.ToolWords));
        }
    }

    /// <summary>General items with no tool and no call, ranked for the irrelevant-tools negatives.</summary>
    private List<int> IrrelevantBases() => Ranked(
        item => item.Kind == ConversationKind.General && _facts[item.Ordinal].Tools!.Count == 0 && !_facts[item.Ordinal].HasCalls,
        NegativeSamples.IrrelevantToolsTransform);

    /// <summary>The spool's conversations whose ordinal is marked, with the recipe's negatives-source kind applied.</summary>
    private IEnumerable<(int Ordinal, Conversation Conversation)> Select(bool[] marked, CancellationToken cancellationToken)
    {
        int ordinal = 0;
        foreach (var conversation in _spool.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (marked[ordinal])
            {
                var kind = _facts[ordinal].Kind;
                yield return (ordinal, kind == conversation.Kind ? conversation : conversation with { Kind = kind });
            }

            ordinal++;
        }
    }

    /// <summary>The queries the evaluation will ask (generator, evaluation.sources, held-out conversations) as a contamination check.</summary>
    private Decontaminator Decontamination(IReadOnlyList<Conversation> heldOut)
    {
        IReadOnlyList<string> Build()
        {
            var cases = Evaluation.EvaluationSuites.Build(_recipe.Seed, _recipe.Evaluation, heldOut, _recipe.FilePath);
            return [.. Evaluation.EvaluationSuites.Queries(cases, _recipe.Seed, _recipe.Evaluation, heldOut)];
        }

        // Without held-out conversations the queries depend on the settings alone: remembered between compiles.
        var identity = heldOut.Count == 0 ? RecipeFingerprint.EvaluationQueries(_recipe) : null;
        var queries = identity is not null && _memo is not null ? _memo.Queries(identity, Build) : Build();
        return new Decontaminator(queries, _recipe.HeldOut.DecontaminationNgram, _recipe.HeldOut.DecontaminationThreshold);
    }

    /// <summary>
    /// Examines conversations in read order (one batch at a time, on one thread at a time): a source the memo
    /// remembers gives its duplicate keys — and its contamination, when checked against the same queries — without
    /// looking at the text; any other source is examined and, at its end, remembered.
    /// </summary>
    private sealed class SourceExaminer(Caching.ExaminationMemo? memo, Decontaminator? decontaminator)
    {
        private readonly string? _identity = decontaminator is { Identity.Length: > 0 } ? decontaminator.Identity : null;
        private string? _source;
        private Caching.SourceExamination? _known;
        private bool _contaminationKnown;
        private List<Digest128>? _keys;
        private List<bool>? _contaminated;
        private (string Source, Caching.SourceExamination? Known)? _prefetched;
        private int _ordinal;

        /// <summary>
        /// What the first pass computes from a conversation's text (<see cref="Compilation.SourceRun.Examine"/> calls it on
        /// other threads: it reads only what never changes).
        /// </summary>
        public ConversationExamination ExamineText(Conversation conversation) =>
            new(Deduplicator.Fingerprint(conversation), _identity is not null && decontaminator!.IsContaminated(conversation));

        /// <summary>
        /// Whether the conversations of <paramref name="source"/> need <see cref="ExamineText"/>: not when the memo holds
        /// their keys (and contamination, when checked). Call before the run's first conversation is taken.
        /// </summary>
        public bool NeedsText(string source)
        {
            Finish();
            var known = _prefetched is { } prefetched && prefetched.Source == source ? prefetched.Known : memo?.Find(source);
            _prefetched = (source, known);
            return known is null || !ContaminationKnown(known);
        }

        /// <summary>
        /// The conversation's duplicate key and contamination, in read order: remembered for a source the memo holds,
        /// else <paramref name="examined"/> (computed from the text here when it was not).
        /// </summary>
        public (Digest128 Key, bool Contaminated) Take(Conversation conversation, ConversationExamination? examined)
        {
            if (!string.Equals(conversation.Provenance.Source, _source, StringComparison.Ordinal))
            {
                Finish();
                Start(conversation.Provenance.Source);
            }

            var known = _known is not null && _ordinal < _known.Keys.Count;
            var key = known ? _known!.Keys[_ordinal] : examined?.DuplicateKey ?? Deduplicator.Fingerprint(conversation);
            var contaminated = _identity is not null
                && (known && _contaminationKnown ? _known!.Contaminated![_ordinal] : examined?.Contaminated ?? decontaminator!.IsContaminated(conversation));
            _keys?.Add(key);
            _contaminated?.Add(contaminated);
            _ordinal++;
            return (key, contaminated);
        }

        /// <summary>
        /// The source's remembered examination when it holds everything pass 1 needs (facts, and contamination against
        /// these queries when they are known now); null otherwise. Call while no batch is being examined.
        /// </summary>
        public Caching.SourceExamination? Known(string source)
        {
            Finish();
            var known = memo?.Find(source);
            if (known is { Facts: not null } && ContaminationKnown(known))
            {
                return known;
            }

            // Examined from the text after all: what the memo holds serves that examination (found once).
            _prefetched = (source, known);
            return null;
        }

        /// <summary>Whether <paramref name="known"/> holds contamination bits for these queries (or none are checked).</summary>
        private bool ContaminationKnown(Caching.SourceExamination? known) =>
            _identity is null || (known?.ContaminationIdentity == _identity && known.Contaminated is not null);

        /// <summary>Whether a known examination's contamination bits apply (they were checked against these queries).</summary>
        public bool ChecksContamination => _identity is not null;

        /// <summary>
        /// Sources examined from their text (not remembered, or against other queries), in order: the plan remembers
        /// them, with their facts, once every conversation is merged.
        /// </summary>
        public List<(string Source, Caching.SourceExamination Examination)> Examined { get; } = [];

        /// <summary>Ends the source being examined: queued for <see cref="Examined"/> if the memo does not hold it (or not against these queries).</summary>
        public void Finish()
        {
            if (_source is not null && _keys is not null)
            {
                Examined.Add((_source, new Caching.SourceExamination(_keys, _identity, _identity is null ? null : _contaminated)));
            }

            (_source, _known, _keys, _contaminated) = (null, null, null, null);
        }

        private void Start(string source)
        {
            _source = source;
            _ordinal = 0;
            _known = _prefetched is { } prefetched && prefetched.Source == source ? prefetched.Known : memo?.Find(source);
            _prefetched = null;
            _contaminationKnown = ContaminationKnown(_known);
            if (memo is not null && (_known is null || !_contaminationKnown))
            {
                _keys = [];
                _contaminated = [];
            }
        }
    }

    /// <summary>What the decisions need to know about one source conversation: 24 bytes, its id in the <see cref="IdStore"/>.</summary>
    private struct Fact
    {
        /// <summary>Its offered tools, kept only when the irrelevant-tools catalogue is needed.</summary>
        public IReadOnlyList<ToolSpec>? Tools;
        public long IdAt;
        public int IdLength;

        /// <summary>Index of its source name.</summary>
        public ushort Source;
        private byte _kind;
        private byte _rawKind;
        private Flag _flags;

        [Flags]
        private enum Flag : byte
        {
            HasCalls = 1,
            HasUser = 2,
            Contaminated = 4,
            Removed = 8,
        }

        public readonly IdRef Id => new(IdAt, IdLength);

        public ConversationKind Kind
        {
            readonly get => (ConversationKind)_kind;
            set => _kind = checked((byte)value);
        }

        /// <summary>The kind the source gave it (<see cref="Kind"/> may be overridden by <c>negatives.source</c>).</summary>
        public ConversationKind RawKind
        {
            readonly get => (ConversationKind)_rawKind;
            set => _rawKind = checked((byte)value);
        }

        public bool HasCalls
        {
            readonly get => Has(Flag.HasCalls);
            set => Set(Flag.HasCalls, value);
        }

        public bool HasUser
        {
            readonly get => Has(Flag.HasUser);
            set => Set(Flag.HasUser, value);
        }

        public bool Contaminated
        {
            readonly get => Has(Flag.Contaminated);
            set => Set(Flag.Contaminated, value);
        }

        /// <summary>Removed as a duplicate, held out or contaminated.</summary>
        public bool Removed
        {
            readonly get => Has(Flag.Removed);
            set => Set(Flag.Removed, value);
        }

        private readonly bool Has(Flag flag) => (_flags & flag) != 0;

        private void Set(Flag flag, bool value) => _flags = value ? _flags | flag : _flags & ~flag;
    }

    /// <summary>A training conversation: a source conversation (or its weight copy <paramref name="Copy"/>, 0 the original) after alignment.</summary>
    private readonly record struct Item(int Ordinal, int Copy, ConversationKind Kind)
    {
        /// <summary>How many times it is emitted after the general ratio (0 leaves it out).</summary>
        public long Copies { get; init; } = 1;
    }

    private sealed record Built(BuiltKind Kind, int Item, string Id, string? Format);

    /// <summary><paramref name="Count"/> irrelevant-tools negatives of kind name <paramref name="Kind"/>, emitted before built sample <paramref name="Slot"/>.</summary>
    private sealed record Deferred(int Slot, int Count, string Kind);
}

/// <summary>
/// One source's part of a plan's output: <paramref name="Conversations"/> emitted, <paramref name="Decisions"/> a
/// digest of the plan's decisions about them, <paramref name="HoldsBases"/> whether built samples take bases from it.
/// </summary>
public sealed record PlanSegment(string Source, long Conversations, string Decisions, bool HoldsBases);
