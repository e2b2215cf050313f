using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using AgentFlan.Hashing;
using AgentFlan.Templates;

namespace AgentFlan.Caching;

/// <summary>
/// The tokenize stage's cache. Tokenizing is the compile's expensive step, so the token ids of every rendered
/// sample are remembered under a key hashed from exactly what was tokenized: the tokenizer's content hash and
/// the text of each template segment. Loss flags are not part of the key (capability weights and masking only
/// change which tokens are supervised), so changing a weight re-tokenizes nothing; editing one source
/// re-tokenizes only the conversations whose rendering changed.
/// Entries are kept per source in packs (stage <c>tokens</c>, key = hash of tokenizer, template and source
/// identity, never a path or a recipe name), so recipes sharing a source share its pack. A pack is a memo,
/// not a result: every lookup is by content key, so a stale pack can only cause misses, never wrong tokens.
/// </summary>
public sealed class TokenMemo
{
    public const string Stage = "tokens";
    private const int KeySize = 32;

    private readonly StageCache? _cache;
    private readonly string _tokenizerHash;
    private readonly string _template;
    private readonly ConcurrentDictionary<string, Pack> _packs = new(StringComparer.Ordinal);

    public TokenMemo(StageCache? cache, string tokenizerHash, string template)
    {
        _cache = cache;
        _tokenizerHash = tokenizerHash;
        _template = template;
    }

    public long Hits => _packs.Values.Sum(p => p.Hits);

    public long Misses => _packs.Values.Sum(p => p.Misses);

    /// <summary>Token ids of each segment, from the memo or from <paramref name="encode"/>.</summary>
    public int[][] Encode(string source, IReadOnlyList<TemplateSegment> segments, Func<string, int[]> encode)
    {
        var pack = _packs.GetOrAdd(source, s => Load(s));
        var key = KeyOf(segments);
        if (pack.Loaded.TryGetValue(key, out var cached))
        {
            Interlocked.Increment(ref pack.Hits);
            pack.Used[key] = cached;
            return cached;
        }

        Interlocked.Increment(ref pack.Misses);
        var ids = new int[segments.Count][];
        for (int i = 0; i < segments.Count; i++)
        {
            ids[i] = encode(segments[i].Text);
        }

        pack.Used[key] = ids;
        return ids;
    }

    /// <summary>Writes a new pack for every source that tokenized something or used a different set of samples.</summary>
    public void Save()
    {
        if (_cache is null)
        {
            return;
        }

        foreach (var (source, pack) in _packs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (pack.Misses > 0 || pack.Used.Count != pack.Loaded.Count)
            {
                // Keep what the previous pack held too (recipes that render one source differently, such as
                // ablations, then all hit), unless that would more than triple this compile's own entries.
                var entries = pack.Used;
                if (pack.Loaded.Count + pack.Used.Count <= 3 * pack.Used.Count)
                {
                    foreach (var (key, ids) in pack.Loaded)
                    {
                        entries.TryAdd(key, ids);
                    }
                }

                _cache.Put(Stage, PackKey(source), Serialize(entries));
            }
            else
            {
                _cache.Touch(Stage, PackKey(source));
            }
        }
    }

    private Pack Load(string source)
    {
        var pack = new Pack();
        if (_cache is not null && _cache.TryGet(Stage, PackKey(source), out var payload))
        {
            pack.Loaded = Deserialize(payload);
        }

        return pack;
    }

    private string PackKey(string source) => ContentHash.OfText($"tokens/v1\n{_tokenizerHash}\n{_template}\n{source}");

    private static string KeyOf(IReadOnlyList<TemplateSegment> segments)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var segment in segments)
        {
            var bytes = Encoding.UTF8.GetBytes(segment.Text);
            BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static byte[] Serialize(ConcurrentDictionary<string, int[][]> entries)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write(entries.Count);
        foreach (var (key, segments) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            writer.Write(Convert.FromHexString(key));
            writer.Write(segments.Length);
            foreach (var ids in segments)
            {
                writer.Write(ids.Length);
                foreach (var id in ids)
                {
                    writer.Write(id);
                }
            }
        }

        writer.Flush();
        return stream.ToArray();
    }

    private static ConcurrentDictionary<string, int[][]> Deserialize(byte[] payload)
    {
        var entries = new ConcurrentDictionary<string, int[][]>(StringComparer.Ordinal);
        using var reader = new BinaryReader(new MemoryStream(payload));
        int count = reader.ReadInt32();
        for (int e = 0; e < count; e++)
        {
            var key = Convert.ToHexStringLower(reader.ReadBytes(KeySize));
            var segments = new int[reader.ReadInt32()][];
            for (int s = 0; s < segments.Length; s++)
            {
                var ids = new int[reader.ReadInt32()];
                for (int i = 0; i < ids.Length; i++)
                {
                    ids[i] = reader.ReadInt32();
                }

                segments[s] = ids;
            }

            entries[key] = segments;
        }

        return entries;
    }

    private sealed class Pack
    {
        public long Hits;
        public long Misses;

        public ConcurrentDictionary<string, int[][]> Loaded { get; set; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, int[][]> Used { get; } = new(StringComparer.Ordinal);
    }
}
