using AgentFlan.Caching;
using AgentFlan.Conversations;

namespace AgentFlan.Transforms;

/// <summary>
/// The conversations of a compile, appended once and read as many times as the transforms need (each transform
/// that looks at content takes one pass; the decisions in between are made on compact per-conversation facts).
/// They are kept in the compact read-stage encoding (<see cref="ConversationCodec"/>), in memory while within
/// <see cref="BudgetBytes"/> and past it in a temp file, and each pass decodes them again, so memory stays flat however
/// large the corpus. Encoded, not as objects: conversations held for the whole first pass were promoted through every
/// generation of the garbage collector, whose pauses then took 150–180 ms of a 0.8–1.0 s compile of 12,000 conversations
/// (30–50 ms encoded). The file is deleted on dispose; a killed compile's file is swept like any abandoned temp file
/// (<see cref="IO.AtomicFile.RemoveAbandoned"/>).
/// A source that can be read again from elsewhere — one served by the read stage, whose entry stays open — is
/// <see cref="Adopt">adopted</see>: its conversations are only counted, and each pass replays them from there, so
/// they are neither encoded again nor held (editing one of several sources spools only that one).
/// </summary>
public sealed class ConversationSpool : IDisposable
{
    /// <summary>The default budget: a corpus above it is spilled to disk.</summary>
    public const long DefaultBudgetBytes = 64L << 20;

    private readonly Dictionary<string, Func<IEnumerable<Conversation>>> _replays = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deferred = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _owned = [];

    /// <summary>Runs of consecutive conversations of one source: replayed (its replay) or stored here (null).</summary>
    private readonly List<Segment> _segments = [];
    private readonly SpoolBuffer _store = new();
    private readonly BinaryWriter _binary;

    /// <summary>Encodes the current run: a run is decoded on its own, so each starts a writer (its tools written anew).</summary>
    private ConversationCodec.Writer? _writer;

    /// <param name="budgetBytes">Encoded bytes kept in memory before spilling; 0 or less spills from the first conversation.</param>
    /// <param name="spillDirectory">Where the temp file goes; null keeps everything in memory whatever the budget.</param>
    public ConversationSpool(long budgetBytes = DefaultBudgetBytes, string? spillDirectory = null)
    {
        BudgetBytes = budgetBytes;
        SpillDirectory = spillDirectory;
        _binary = new BinaryWriter(_store);
    }

    public long BudgetBytes { get; }

    /// <summary>Where temp files go; null when everything stays in memory.</summary>
    public string? SpillDirectory { get; }

    public int Count { get; private set; }

    /// <summary>Whether the conversations live in a temp file rather than in memory.</summary>
    public bool Spilled => _store.SpillPath is not null;

    /// <summary>
    /// Takes <paramref name="source"/>'s conversations as replayable: added ones are counted, and every pass reads them
    /// from <paramref name="replay"/>, which must give the same conversations in the same order. The spool disposes
    /// <paramref name="owner"/> (what keeps the replay readable) when it is disposed. Call before the source's first
    /// conversation is added.
    /// </summary>
    public void Adopt(string source, Func<IEnumerable<Conversation>> replay, IDisposable owner)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentNullException.ThrowIfNull(owner);
        _owned.Add(owner);
        _replays[source] = replay;
    }

    /// <summary>
    /// Counts <paramref name="source"/>'s conversations without keeping them: its replay is <see cref="Adopt">adopted</see>
    /// later, before the first pass reads the spool (a source being written to the read stage, replayed from its entry
    /// once published). Call before the source's first conversation is added.
    /// </summary>
    public void Defer(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _deferred.Add(source);
    }

    public void Add(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        Count++;
        var source = conversation.Provenance.Source;
        if (_segments.Count == 0 || !string.Equals(_segments[^1].Source, source, StringComparison.Ordinal))
        {
            _binary.Flush();
            _segments.Add(new Segment(source, replayed: _replays.ContainsKey(source) || _deferred.Contains(source)) { Offset = _store.Length });
            _writer = null;
        }

        var segment = _segments[^1];
        segment.Count++;
        if (segment.Replayed)
        {
            return;
        }

        _writer ??= new ConversationCodec.Writer(_binary);
        _writer.Write(conversation);
        if (!Spilled && SpillDirectory is not null && _store.Length > BudgetBytes)
        {
            _binary.Flush();
            Directory.CreateDirectory(SpillDirectory);
            _store.Spill(IO.AtomicFile.TempPathFor(Path.Combine(SpillDirectory, "conversations.spool")));
        }
    }

    /// <summary>
    /// Counts <paramref name="count"/> conversations of an <see cref="Adopt">adopted</see> source without being given
    /// them (its replay gives them when a pass reads it), as <see cref="Add"/> would for each.
    /// </summary>
    public void AddReplayed(string source, int count)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!_replays.ContainsKey(source))
        {
            throw new InvalidOperationException($"Source '{source}' was not adopted: its conversations must be added.");
        }

        if (_segments.Count > 0 && string.Equals(_segments[^1].Source, source, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Source '{source}' is counted once, in one run.");
        }

        _segments.Add(new Segment(source, replayed: true) { Count = count });
        Count += count;
    }

    /// <summary>Every conversation, in the order added.</summary>
    public IEnumerable<Conversation> Read() => ReadSegments().SelectMany(segment => segment.Conversations);

    /// <summary>
    /// The conversations as runs of one source each, in the order added. A run the caller does not enumerate costs
    /// nothing when it is replayed or in memory (a run in the temp file is decoded past); enumerate each run, if at
    /// all, before asking for the next.
    /// </summary>
    public IEnumerable<SpoolSegment> ReadSegments()
    {
        foreach (var segment in _segments)
        {
            // A stored run is decoded from where it starts: one the caller leaves is never read.
            yield return new SpoolSegment(segment.Source, segment.Count, segment.Replayed ? Replayed(segment) : Decode(segment.Offset, segment.Count));
        }
    }

    public void Dispose()
    {
        foreach (var owner in _owned)
        {
            owner.Dispose();
        }

        var spilled = _store.SpillPath;
        _binary.Dispose();
        if (spilled is not null && File.Exists(spilled))
        {
            File.Delete(spilled);
        }
    }

    private IEnumerable<Conversation> Replayed(Segment segment)
    {
        var replay = _replays.GetValueOrDefault(segment.Source)
            ?? throw new InvalidOperationException($"Source '{segment.Source}' was deferred and never adopted: the spool has none of its conversations.");
        int replayed = 0;
        foreach (var conversation in replay())
        {
            replayed++;
            yield return conversation;
        }

        if (replayed != segment.Count)
        {
            throw new InvalidOperationException($"Source '{segment.Source}' replayed {replayed} conversations; {segment.Count} were added.");
        }
    }

    /// <summary><paramref name="count"/> stored conversations of the run starting at byte <paramref name="offset"/>.</summary>
    private IEnumerable<Conversation> Decode(long offset, int count)
    {
        if (count == 0)
        {
            yield break;
        }

        _binary.Flush();
        using var stream = _store.OpenRead(offset);
        using var binary = new BinaryReader(stream);
        var reader = new ConversationCodec.Reader(binary);
        for (int i = 0; i < count; i++)
        {
            yield return reader.Read();
        }
    }

    /// <summary>A rough size in memory: two bytes per character plus object overheads.</summary>
    internal static long EstimatedBytes(Conversation conversation)
    {
        long bytes = 160 + (2L * conversation.Id.Length);
        foreach (var message in conversation.Messages)
        {
            bytes += 120 + (2L * message.Content.Length) + (2L * (message.Thought?.Length ?? 0));
            foreach (var call in message.ToolCalls)
            {
                bytes += 200 + (4L * call.Name.Length);
            }
        }

        return bytes + (16L * conversation.Tools.Count);
    }

    /// <summary>A run of one source's conversations: stored here, or replayed (adopted or deferred).</summary>
    private sealed class Segment(string source, bool replayed)
    {
        public string Source { get; } = source;

        public bool Replayed { get; } = replayed;

        public int Count { get; set; }

        /// <summary>Where its first stored conversation starts in the encoded store.</summary>
        public long Offset { get; init; }
    }
}

/// <summary>One source's run of conversations in a <see cref="ConversationSpool"/>: enumerate it at most once, before the next run.</summary>
public sealed record SpoolSegment(string Source, int Count, IEnumerable<Conversation> Conversations);
