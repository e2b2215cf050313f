using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentFlan.Conversations;
using AgentFlan.Hashing;
using AgentFlan.Templates;
using AgentFlan.Threading;
using AgentFlan.Tokenization;

namespace AgentFlan.Caching;

/// <summary>
/// The tokenize stage's memo: the tokens and template segments of every rendered conversation, under a key
/// hashed from exactly what rendering reads (its messages, offered tools, kind and form). A conversation seen
/// before is neither rendered nor tokenized again, so editing one source re-tokenizes only the conversations
/// that changed (including the samples built from them). Entries are kept per source in packs (stage
/// <c>documents</c>), keyed by the render identity — compiler version (template code), tokenizer content,
/// template, masking — and the source name, never a path or a recipe name, so recipes sharing a source share its
/// pack. A pack is a memo, not a result: every lookup is by content key, so a stale pack can only cause misses.
/// Capability weights are not part of anything here: they are applied to the documents afterwards.
/// </summary>
public sealed class DocumentMemo : IDisposable
{
    public const string Stage = "documents";
    private const int KeySize = 32;
    private const int FormatVersion = 2;

    /// <summary>Offered tools are shared objects (readers and the read stage reuse them): hash each once.</summary>
    private static readonly ConditionalWeakTable<ToolSpec, byte[]> ToolKeys = [];

    private readonly StageCache? _cache;
    private readonly string _renderIdentity;
    private readonly MemoryBudget _budget;
    private readonly ConcurrentDictionary<string, Lazy<Pack>> _packs = new(StringComparer.Ordinal);

    /// <param name="renderIdentity">Everything besides the conversation that decides its tokens and segments.</param>
    /// <param name="budgetBytes">
    /// Bytes of previous packs kept decoded in memory, all sources together; past it a pack's entries wait in a temp
    /// file under the cache (only keys and offsets in memory), so a warm compile of a huge corpus stays within memory too.
    /// </param>
    public DocumentMemo(StageCache? cache, string renderIdentity, long budgetBytes = long.MaxValue)
    {
        _cache = cache;
        _renderIdentity = renderIdentity;
        _budget = new MemoryBudget(budgetBytes);
        if (cache is not null)
        {
            IO.AtomicFile.RemoveAbandoned(SpillDirectory(cache));
        }
    }

    public long Hits => _packs.Values.Sum(p => p.Value.Hits);

    public long Misses => _packs.Values.Sum(p => p.Value.Misses);

    /// <summary>The conversation's document, from the memo or from <paramref name="render"/>. Safe to call from several threads.</summary>
    public TokenizedDocument Get(Conversation conversation, RenderForm form, Func<TokenizedDocument> render)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(render);
        var source = conversation.Provenance.Source;
        var pack = _packs.GetOrAdd(source, s => new Lazy<Pack>(() => Load(s))).Value;
        var key = ContentKey.Of(KeyOf(conversation, form));
        if (pack.Loaded.TryGet(key, out var cached))
        {
            Interlocked.Increment(ref pack.Hits);
            Record(source, pack, key, cached, miss: false);
            return new TokenizedDocument(conversation.Id, conversation.Kind, source, TokenizedDocument.Locate(conversation.Provenance), cached.Tokens, cached.Segments);
        }

        Interlocked.Increment(ref pack.Misses);
        var document = render();
        Record(source, pack, key, new Entry(document.Tokens, document.Segments), miss: true);
        return document;
    }

    /// <summary>
    /// Publishes a new pack for every source that rendered something (the others keep theirs, touched):
    /// this compile's entries (already streamed to the pack's temp file as they were used, so the memo holds no
    /// document of its own), then the previous pack's other entries (recipes that render one source differently,
    /// such as ablations, then all hit) unless that would more than triple this compile's own.
    /// </summary>
    public void Save()
    {
        foreach (var (source, lazy) in _packs.OrderBy(p => p.Key, StringComparer.Ordinal).ToList())
        {
            var pack = lazy.Value;
            if (pack.Writer is null)
            {
                // Nothing rendered: the previous pack holds every entry this compile used.
                _cache?.Touch(Stage, PackKey(source));
                continue;
            }

            pack.Drain();
            if (pack.Loaded.Count + pack.Used.Count <= 3 * pack.Used.Count)
            {
                foreach (var key in pack.Loaded.Keys.Where(k => !pack.Used.Contains(k)).Order())
                {
                    pack.Writer.Add(new Stored(key, pack.Loaded[key]));
                }
            }

            pack.Writer.Commit(new PackSummary(pack.Used.Count));
        }
    }

    /// <summary>Drops packs not saved (a compile that failed publishes nothing).</summary>
    public void Dispose()
    {
        foreach (var pack in _packs.Values.Where(p => p.IsValueCreated))
        {
            pack.Value.Drain(quietly: true);
            pack.Value.Writer?.Dispose();
            pack.Value.Loaded.Dispose();
        }
    }

    /// <summary>
    /// Notes a used entry. Until the first miss a pack only collects keys (the previous pack is still exact);
    /// from the first miss on, every used entry streams to the new pack's temp file.
    /// </summary>
    private void Record(string source, Pack pack, ContentKey key, Entry entry, bool miss)
    {
        if (_cache is null)
        {
            return;
        }

        lock (pack.Used)
        {
            if (!pack.Used.Add(key) && !miss)
            {
                return;
            }

            if (pack.Writer is null && miss)
            {
                pack.Start(StreamedEntry.Create<Stored, PackSummary>(_cache, Stage, PackKey(source), FormatVersion, WriteStored));
                foreach (var used in pack.Used.Where(k => !k.Equals(key)))
                {
                    pack.Pending!.Add(new Stored(used, pack.Loaded[used]));
                }
            }

            // Encoding and hashing happen on the pack's writer thread: tokenizer workers only hand the entry over.
            pack.Pending?.Add(new Stored(key, entry));
        }
    }

    private Pack Load(string source)
    {
        var pack = new Pack(new PackEntries(_budget, _cache is null ? null : SpillDirectory(_cache)));
        using var stored = _cache is null ? null : StreamedEntry.Open<Stored, PackSummary>(_cache, Stage, PackKey(source), FormatVersion, ReadStored);
        foreach (var record in stored?.Records() ?? [])
        {
            pack.Loaded.Add(record.Key, record.Entry);
        }

        pack.Loaded.Complete();
        return pack;
    }

    private static string SpillDirectory(StageCache cache) => Path.Combine(cache.Root, "spill");

    private static Action<Stored> WriteStored(BinaryWriter writer) => stored =>
    {
        Span<byte> bytes = stackalloc byte[KeySize];
        stored.Key.CopyTo(bytes);
        writer.Write(bytes);
        DocumentCodec.Write(writer, stored.Entry.Tokens, stored.Entry.Segments);
    };

    private static Func<Stored> ReadStored(BinaryReader reader) => () =>
    {
        Span<byte> bytes = stackalloc byte[KeySize];
        reader.BaseStream.ReadExactly(bytes);
        var key = ContentKey.Of(bytes);
        var (tokens, segments) = DocumentCodec.Read(reader);
        return new Stored(key, new Entry(tokens, segments));
    };

    private string PackKey(string source) => ContentHash.OfText($"{Stage}/v1\n{_renderIdentity}\n{source}");

    /// <summary>SHA-256 over everything rendering reads, each field length-prefixed.</summary>
    internal static byte[] KeyOf(Conversation conversation, RenderForm form)
    {
        var key = KeyBuffer.Start();
        key.Add((byte)conversation.Kind);
        key.Add((byte)form);
        key.Add(conversation.Tools.Count);
        foreach (var tool in conversation.Tools)
        {
            key.Add(ToolKeys.GetValue(tool, ToolKey));
        }

        key.Add(conversation.Messages.Count);
        foreach (var message in conversation.Messages)
        {
            key.Add((byte)message.Role);
            key.Add(message.Loss ? (byte)1 : (byte)0);
            key.AddField(message.Content);
            key.AddField(message.Thought);
            key.AddField(message.ToolCallId);
            key.AddField(message.Name);
            key.Add(message.ToolCalls.Count);
            foreach (var call in message.ToolCalls)
            {
                key.AddField(call.Name);
                key.AddJson(call.Arguments);
                key.AddField(call.Id);
            }
        }

        return key.Sha256();
    }

    private static byte[] ToolKey(ToolSpec tool)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{tool.Name}\u0000{tool.Description}\u0000"));
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(tool.Parameters));
        return hash.GetHashAndReset();
    }

    /// <summary>A 32-byte content key with value equality and a total order (for deterministic packs).</summary>
    private readonly record struct ContentKey(ulong A, ulong B, ulong C, ulong D) : IComparable<ContentKey>
    {
        /// <summary>The 32 key bytes as four big-endian words, so comparing words compares the bytes.</summary>
        public static ContentKey Of(ReadOnlySpan<byte> bytes) => new(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));

        public void CopyTo(Span<byte> bytes)
        {
            BinaryPrimitives.WriteUInt64BigEndian(bytes, A);
            BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], B);
            BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], C);
            BinaryPrimitives.WriteUInt64BigEndian(bytes[24..], D);
        }

        public int CompareTo(ContentKey other)
        {
            var order = A.CompareTo(other.A);
            order = order != 0 ? order : B.CompareTo(other.B);
            order = order != 0 ? order : C.CompareTo(other.C);
            return order != 0 ? order : D.CompareTo(other.D);
        }
    }

    private sealed record Entry(int[] Tokens, DocumentSegment[] Segments)
    {
        public long EstimatedBytes => 64 + (4L * Tokens.Length) + (16L * Segments.Length);
    }

    /// <summary>
    /// A previous pack's entries: decoded in memory while they fit the budget; past it, encoded in one temp file with
    /// only each key's offset in memory, read back on a hit (positional reads, safe from every tokenizer thread).
    /// </summary>
    private sealed class PackEntries(MemoryBudget budget, string? spillDirectory) : IDisposable
    {
        private Dictionary<ContentKey, Entry>? _memory = [];
        private Dictionary<ContentKey, (long Offset, int Length)>? _offsets;
        private long _estimated;
        private string? _path;
        private FileStream? _file;
        private BinaryWriter? _writer;

        public int Count => _memory?.Count ?? _offsets!.Count;

        public IEnumerable<ContentKey> Keys => _memory?.Keys ?? (IEnumerable<ContentKey>)_offsets!.Keys;

        public Entry this[ContentKey key] => TryGet(key, out var entry) ? entry : throw new KeyNotFoundException();

        public void Add(ContentKey key, Entry entry)
        {
            if (_memory is not null)
            {
                _memory[key] = entry;
                if (spillDirectory is not null && !budget.Take(entry.EstimatedBytes))
                {
                    Spill();
                    budget.Give(_estimated);
                    return;
                }

                _estimated += entry.EstimatedBytes;

                return;
            }

            Append(key, entry);
        }

        /// <summary>Called once every entry is added: the file is flushed for reading.</summary>
        public void Complete() => _writer?.Flush();

        public bool TryGet(ContentKey key, out Entry entry)
        {
            if (_memory is not null)
            {
                return _memory.TryGetValue(key, out entry!);
            }

            if (!_offsets!.TryGetValue(key, out var at))
            {
                entry = null!;
                return false;
            }

            var bytes = new byte[at.Length];
            RandomAccess.Read(_file!.SafeFileHandle, bytes, at.Offset);
            using var reader = new BinaryReader(new MemoryStream(bytes));
            var (tokens, segments) = DocumentCodec.Read(reader);
            entry = new Entry(tokens, segments);
            return true;
        }

        public void Dispose()
        {
            _writer?.Dispose();
            _file?.Dispose();
            if (_path is not null && File.Exists(_path))
            {
                File.Delete(_path);
            }
        }

        private void Spill()
        {
            Directory.CreateDirectory(spillDirectory!);
            _path = IO.AtomicFile.TempPathFor(Path.Combine(spillDirectory!, "documents"));
            _file = new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 1 << 16);
            _writer = new BinaryWriter(_file);
            _offsets = [];
            foreach (var (key, entry) in _memory!)
            {
                Append(key, entry);
            }

            _memory = null;
        }

        private void Append(ContentKey key, Entry entry)
        {
            var offset = _file!.Position;
            DocumentCodec.Write(_writer!, entry.Tokens, entry.Segments);
            _offsets![key] = (offset, checked((int)(_file.Position - offset)));
        }
    }

    private sealed record Stored(ContentKey Key, Entry Entry);

    private sealed record PackSummary(int Used);

    /// <summary>Bytes the loaded packs may still keep in memory, shared by every source's pack (thread-safe).</summary>
    private sealed class MemoryBudget(long bytes)
    {
        private long _left = bytes;

        /// <summary>Takes <paramref name="amount"/>; false (and nothing taken) when that would go past the budget.</summary>
        public bool Take(long amount)
        {
            while (true)
            {
                var left = Interlocked.Read(ref _left);
                if (left < amount)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _left, left - amount, left) == left)
                {
                    return true;
                }
            }
        }

        public void Give(long amount) => Interlocked.Add(ref _left, amount);
    }

    private sealed class Pack(PackEntries loaded)
    {
        public long Hits;
        public long Misses;

        /// <summary>The previous pack's entries.</summary>
        public PackEntries Loaded { get; } = loaded;

        /// <summary>Entries on their way to <see cref="Writer"/> (bounded, so memory stays flat), written by one thread in arrival order.</summary>
        public Handoff<Stored>? Pending { get; private set; }

        private Task? _writing;
        private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _failure;

        /// <summary>Starts the new pack: from now on used entries stream to it through <see cref="Pending"/>.</summary>
        public void Start(StreamedEntryWriter<Stored, PackSummary> writer)
        {
            Writer = writer;
            Pending = new Handoff<Stored>(capacity: 1024, wakeAt: 256);
            _writing = Task.Factory.StartNew(
                () =>
                {
                    // After a failed write the rest is drained unwritten (the workers never block on a full queue);
                    // the failure surfaces at Drain.
                    foreach (var stored in Pending.Consume())
                    {
                        if (_failure is not null)
                        {
                            continue;
                        }

                        try
                        {
                            writer.Add(stored);
                        }
                        catch (Exception e)
                        {
                            _failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                        }
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }

        /// <summary>Waits until every handed-over entry is written; a write failure surfaces here unless <paramref name="quietly"/>.</summary>
        public void Drain(bool quietly = false)
        {
            if (Pending is null || _writing is null)
            {
                return;
            }

            Pending.CompleteAdding();
            Threading.Blocking.Wait(_writing);
            if (!quietly)
            {
                _failure?.Throw();
            }
        }

        /// <summary>The keys this compile used (and wrote to <see cref="Writer"/>); lock it to add.</summary>
        public HashSet<ContentKey> Used { get; } = [];

        public StreamedEntryWriter<Stored, PackSummary>? Writer { get; private set; }
    }
}
