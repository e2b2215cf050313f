using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentFlan.Conversations;
using AgentFlan.Hashing;
using AgentFlan.Templates;
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
public sealed class DocumentMemo
{
    public const string Stage = "documents";
    private const int KeySize = 32;

    /// <summary>Offered tools are shared objects (readers and the read stage reuse them): hash each once.</summary>
    private static readonly ConditionalWeakTable<ToolSpec, byte[]> ToolKeys = [];

    private readonly StageCache? _cache;
    private readonly string _renderIdentity;
    private readonly ConcurrentDictionary<string, Pack> _packs = new(StringComparer.Ordinal);

    /// <param name="renderIdentity">Everything besides the conversation that decides its tokens and segments.</param>
    public DocumentMemo(StageCache? cache, string renderIdentity)
    {
        _cache = cache;
        _renderIdentity = renderIdentity;
    }

    public long Hits => _packs.Values.Sum(p => p.Hits);

    public long Misses => _packs.Values.Sum(p => p.Misses);

    /// <summary>The conversation's document, from the memo or from <paramref name="render"/>.</summary>
    public TokenizedDocument Get(Conversation conversation, RenderForm form, Func<TokenizedDocument> render)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(render);
        var pack = _packs.GetOrAdd(conversation.Provenance.Source, Load);
        var key = new ContentKey(KeyOf(conversation, form));
        if (pack.Loaded.TryGetValue(key, out var cached))
        {
            Interlocked.Increment(ref pack.Hits);
            pack.Used[key] = cached;
            return new TokenizedDocument(conversation.Id, conversation.Kind, conversation.Provenance.Source, TokenizedDocument.Locate(conversation.Provenance), cached.Tokens, cached.Segments);
        }

        Interlocked.Increment(ref pack.Misses);
        var document = render();
        pack.Used[key] = new Entry(document.Tokens, document.Segments);
        return document;
    }

    /// <summary>Writes a new pack for every source that rendered something or used a different set of conversations.</summary>
    public void Save()
    {
        if (_cache is null)
        {
            return;
        }

        foreach (var (source, pack) in _packs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (pack.Misses == 0 && pack.Used.Count == pack.Loaded.Count)
            {
                _cache.Touch(Stage, PackKey(source));
                continue;
            }

            // Keep what the previous pack held too (recipes that render one source differently, such as
            // ablations, then all hit), unless that would more than triple this compile's own entries.
            var entries = new Dictionary<ContentKey, Entry>(pack.Used);
            if (pack.Loaded.Count + pack.Used.Count <= 3 * pack.Used.Count)
            {
                foreach (var (key, entry) in pack.Loaded)
                {
                    entries.TryAdd(key, entry);
                }
            }

            using var writer = _cache.BeginPut(Stage, PackKey(source));
            using (var buffer = new BufferedStream(writer.Payload, 1 << 20))
            using (var binary = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
            {
                binary.Write(entries.Count);
                foreach (var (key, entry) in entries.OrderBy(e => e.Key))
                {
                    binary.Write(key.Bytes);
                    DocumentCodec.Write(binary, entry.Tokens, entry.Segments);
                }
            }

            writer.Commit();
        }
    }

    private Pack Load(string source)
    {
        var pack = new Pack();
        using var stream = _cache?.OpenRead(Stage, PackKey(source));
        if (stream is null)
        {
            return pack;
        }

        using var buffer = new BufferedStream(stream, 1 << 20);
        using var reader = new BinaryReader(buffer);
        int count = reader.ReadInt32();
        for (int e = 0; e < count; e++)
        {
            var key = new ContentKey(reader.ReadBytes(KeySize));
            var (tokens, segments) = DocumentCodec.Read(reader);
            pack.Loaded[key] = new Entry(tokens, segments);
        }

        return pack;
    }

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
    private readonly struct ContentKey(byte[] bytes) : IEquatable<ContentKey>, IComparable<ContentKey>
    {
        public byte[] Bytes { get; } = bytes;

        public bool Equals(ContentKey other) => Bytes.AsSpan().SequenceEqual(other.Bytes);

        public override bool Equals(object? obj) => obj is ContentKey other && Equals(other);

        public override int GetHashCode() => BitConverter.ToInt32(Bytes, 0);

        public int CompareTo(ContentKey other) => Bytes.AsSpan().SequenceCompareTo(other.Bytes);
    }

    private sealed record Entry(int[] Tokens, DocumentSegment[] Segments);

    private sealed class Pack
    {
        public long Hits;
        public long Misses;

        public Dictionary<ContentKey, Entry> Loaded { get; } = [];

        public ConcurrentDictionary<ContentKey, Entry> Used { get; } = new();
    }
}
