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
/// A previous pack is not decoded when opened: one pass over it (after its hash is checked) keeps each key's place
/// in the file — a sorted array of 128-bit key prefixes and places, 33 bytes an entry — and a hit reads just that
/// document (positional reads, from any tokenizer thread) and checks its full key, so entries nobody asks for cost
/// nothing and a million cached conversations take about 35 MB.
/// </summary>
public sealed class DocumentMemo : IDisposable
{
    public const string Stage = "documents";
    private const int KeySize = 32;
    private const int FormatVersion = 4;

    /// <summary>Offered tools are shared objects (readers and the read stage reuse them): hash each once.</summary>
    private static readonly ConditionalWeakTable<ToolSpec, byte[]> ToolKeys = [];

    private readonly StageCache? _cache;
    private readonly string _renderIdentity;
    private readonly ConcurrentDictionary<string, Lazy<Pack>> _packs = new(StringComparer.Ordinal);

    /// <param name="renderIdentity">Everything besides the conversation that decides its tokens and segments.</param>
    public DocumentMemo(StageCache? cache, string renderIdentity)
    {
        _cache = cache;
        _renderIdentity = renderIdentity;
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
        // The index matches 128 bits; the stored key must match in full (two keys sharing them make a miss, never a wrong hit).
        if (pack.Previous.Find(key) is var found and >= 0 && pack.Previous.Read(found) is { } stored && stored.Key.Equals(key))
        {
            Interlocked.Increment(ref pack.Hits);
            var (tokens, segments) = DocumentCodec.ReadCompact(stored.Encoded!);
            Record(source, pack, found, stored);
            return new TokenizedDocument(conversation.Id, conversation.Kind, source, TokenizedDocument.Locate(conversation.Provenance), tokens, segments);
        }

        Interlocked.Increment(ref pack.Misses);
        var document = render();
        Record(source, pack, -1, new Stored(key, null, document));
        return document;
    }

    /// <summary>
    /// Publishes a new pack for every source that rendered something (the others keep theirs, touched):
    /// this compile's entries (already streamed to the pack's temp file as they were used, so the memo holds no
    /// document of its own), then the previous pack's other entries (recipes that render one source differently,
    /// such as ablations, then all hit) unless that would more than triple this compile's own, or nothing in it hit.
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

            // A previous pack nothing hit holds another version of the source (edited, regenerated): reverting it is
            // served by the packed and samples stages, so its entries are left behind rather than copied (on an edit of
            // one of four 12,500-conversation sources, copying them was most of the memo's cost). One that served hits
            // holds what other renderings of this content need (ablations, other forms).
            var used = pack.Written;
            if (pack.Hits > 0 && pack.Previous.Count - pack.Previous.UsedCount + used <= 3 * used)
            {
                // Copied as they are stored (in key order): nothing decoded.
                foreach (var index in pack.Previous.Unused())
                {
                    pack.Writer.Add(pack.Previous.Read(index));
                    pack.Written++;
                }
            }

            pack.Writer.Commit(new PackSummary(used, pack.Written));
        }
    }

    /// <summary>Drops packs not saved (a compile that failed publishes nothing).</summary>
    public void Dispose()
    {
        foreach (var pack in _packs.Values.Where(p => p.IsValueCreated))
        {
            pack.Value.Writer?.Dispose();
            pack.Value.Previous.Dispose();
        }
    }

    /// <summary>
    /// Notes a used entry: <paramref name="previous"/> is its index in the previous pack, or -1 for a miss. Until the
    /// first miss a pack only marks what it used (the previous pack is still exact); from the first miss on, every
    /// entry used for the first time streams to the new pack's temp file.
    /// </summary>
    private void Record(string source, Pack pack, int previous, Stored entry)
    {
        if (_cache is null)
        {
            return;
        }

        lock (pack)
        {
            var first = previous >= 0 ? pack.Previous.MarkUsed(previous) : pack.NewKeys.Add(entry.Key);
            if (!first)
            {
                return;
            }

            if (pack.Writer is null && previous < 0)
            {
                pack.Writer = new BackgroundEntryWriter<Stored, PackSummary>(StreamedEntry.Create<Stored, PackSummary>(_cache, Stage, PackKey(source), FormatVersion, WriteStored));
                foreach (var used in pack.Previous.Used())
                {
                    pack.Writer.Add(pack.Previous.Read(used));
                    pack.Written++;
                }
            }

            // Encoding and hashing happen on the pack's writer thread: tokenizer workers only hand the entry over.
            if (pack.Writer is not null)
            {
                pack.Writer.Add(entry);
                pack.Written++;
            }
        }
    }

    private Pack Load(string source)
    {
        var stored = _cache is null ? null : StreamedEntry.Open<Located, PackSummary>(_cache, Stage, PackKey(source), FormatVersion, ReadLocated);
        return new Pack(new PreviousPack(stored));
    }

    private static Action<Stored> WriteStored(BinaryWriter writer)
    {
        var scratch = new DocumentCodec.Scratch();
        return stored =>
        {
            Span<byte> bytes = stackalloc byte[KeySize];
            stored.Key.CopyTo(bytes);
            writer.Write(bytes);
            if (stored.Encoded is not null)
            {
                writer.Write(stored.Encoded);
            }
            else
            {
                DocumentCodec.WriteCompact(writer, stored.Document!.Tokens, stored.Document.Segments, scratch);
            }
        };
    }

    /// <summary>Reads a stored entry's key and where its document lies, skipping the document itself.</summary>
    private static Func<Located> ReadLocated(BinaryReader reader) => () =>
    {
        Span<byte> bytes = stackalloc byte[KeySize];
        reader.BaseStream.ReadExactly(bytes);
        var start = reader.BaseStream.Position;
        DocumentCodec.SkipCompact(reader);
        return new Located(ContentKey.Of(bytes), start, checked((int)(reader.BaseStream.Position - start)));
    };

    private string PackKey(string source) => ContentHash.OfText($"{Stage}/v{FormatVersion}\n{_renderIdentity}\n{source}");

    /// <summary>SHA-256 over everything rendering reads, each field length-prefixed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>An entry on its way to a new pack: as stored before (copied as is) or a document just rendered (encoded by the writer).</summary>
    private sealed record Stored(ContentKey Key, byte[]? Encoded, TokenizedDocument? Document);

    /// <summary>A previous entry's key and the place of its encoded document in the pack file.</summary>
    private readonly record struct Located(ContentKey Key, long Offset, int Length);

    /// <param name="Used">Entries the compile that wrote the pack used.</param>
    /// <param name="Count">Entries in the pack (its index is sized from it).</param>
    private sealed record PackSummary(int Used, int Count);

    /// <summary>
    /// A previous pack, opened (its hash checked) and indexed but not decoded: places sorted by the first 128 bits of
    /// their keys, so a lookup is a binary search and a read of one document (with its stored key, checked in full).
    /// Lookups and reads are safe from several threads; the file stays readable whatever happens to its name.
    /// </summary>
    private sealed class PreviousPack : IDisposable
    {
        private readonly StreamedEntryReader<Located, PackSummary>? _entry;
        private readonly Place[] _places;
        private readonly bool[] _used;

        public PreviousPack(StreamedEntryReader<Located, PackSummary>? entry)
        {
            _entry = entry;
            var places = new List<Place>(entry?.Summary.Count ?? 0);
            foreach (var located in entry?.Records() ?? [])
            {
                places.Add(new Place(located.Key.A, located.Key.B, located.Offset, located.Length));
            }

            places.Sort();
            _places = [.. places];
            _used = new bool[_places.Length];
        }

        public int Count => _places.Length;

        /// <summary>Entries marked used so far (read once every user is done).</summary>
        public int UsedCount => _used.Count(u => u);

        /// <summary>The index of the entry whose key starts with <paramref name="key"/>'s first 128 bits, or -1 (the caller checks the rest against <see cref="Read"/>'s key).</summary>
        public int Find(ContentKey key)
        {
            int low = 0, high = _places.Length - 1;
            while (low <= high)
            {
                int middle = (int)((uint)(low + high) >> 1);
                var order = _places[middle].CompareTo(key.A, key.B);
                if (order == 0)
                {
                    return middle;
                }

                (low, high) = order < 0 ? (middle + 1, high) : (low, middle - 1);
            }

            return -1;
        }

        /// <summary>
        /// The entry's full key (stored just before its document) and its document, encoded as written
        /// (<see cref="DocumentCodec.WriteCompact"/>), in one positional read.
        /// </summary>
        public Stored Read(int index)
        {
            var place = _places[index];
            var bytes = new byte[KeySize + place.Length];
            _entry!.ReadAt(place.Offset - KeySize, bytes);
            return new Stored(ContentKey.Of(bytes), bytes[KeySize..], null);
        }

        /// <summary>Marks the entry used; true the first time. Call under the pack's lock.</summary>
        public bool MarkUsed(int index) => !_used[index] && (_used[index] = true);

        public IEnumerable<int> Used() => Enumerable.Range(0, _places.Length).Where(i => _used[i]);

        public IEnumerable<int> Unused() => Enumerable.Range(0, _places.Length).Where(i => !_used[i]);

        public void Dispose() => _entry?.Dispose();

        /// <summary>32 bytes: the key's first 128 bits, where its document starts and its length.</summary>
        private readonly record struct Place(ulong A, ulong B, long Offset, int Length) : IComparable<Place>
        {
            public int CompareTo(Place other) => CompareTo(other.A, other.B);

            public int CompareTo(ulong a, ulong b)
            {
                var order = A.CompareTo(a);
                return order != 0 ? order : B.CompareTo(b);
            }
        }
    }

    private sealed class Pack(PreviousPack previous)
    {
        public long Hits;
        public long Misses;

        /// <summary>The previous pack's entries.</summary>
        public PreviousPack Previous { get; } = previous;

        /// <summary>Keys this compile rendered (misses), so each is written once; lock the pack to add.</summary>
        public HashSet<ContentKey> NewKeys { get; } = [];

        /// <summary>Entries handed to the new pack so far.</summary>
        public int Written { get; set; }

        /// <summary>The new pack, from the first miss on: entries are encoded and hashed on its own thread.</summary>
        public BackgroundEntryWriter<Stored, PackSummary>? Writer { get; set; }
    }
}
