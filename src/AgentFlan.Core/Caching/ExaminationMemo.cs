using AgentFlan.Conversations;
using AgentFlan.Hashing;

namespace AgentFlan.Caching;

/// <summary>
/// What the transforms' first pass computed for each conversation of a file source — its exact-duplicate key and,
/// against one set of evaluation queries, whether it is contaminated — remembered under the source's read-stage key
/// (stage <c>examined</c>), so a source that did not change is not examined again. Both depend only on the
/// conversation (and the queries, named by <see cref="SourceExamination.ContaminationIdentity"/>), never on the
/// rest of the corpus; a remembered examination whose queries differ keeps its keys and has its contamination
/// computed again. With them, the facts the transforms decide on (id, kind, whether it calls a tool or has a user
/// turn), so an unchanged source whose output the packed stage holds is never decoded at all.
/// Safe to use from one thread at a time.
/// </summary>
public sealed class ExaminationMemo
{
    public const string Stage = "examined";

    /// <summary>The stage of the remembered evaluation queries (<see cref="Queries"/>).</summary>
    public const string QueriesStage = "queries";
    private const int FormatVersion = 3;

    private readonly StageCache _cache;
    private readonly IReadOnlyDictionary<string, string> _readKeys;

    /// <param name="readKeys">Each file source's read-stage key (<see cref="ReadStore.Key"/>), by source name; sources not named are not remembered.</param>
    public ExaminationMemo(StageCache cache, IReadOnlyDictionary<string, string> readKeys)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(readKeys);
        _cache = cache;
        _readKeys = readKeys;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<SourceExamination?>> _prefetched = new(StringComparer.Ordinal);
    private int _reused;

    /// <summary>Sources whose examination came from the memo so far.</summary>
    public int Reused => Volatile.Read(ref _reused);

    /// <summary>
    /// Starts reading the remembered examinations of <paramref name="sources"/> on the thread pool, so that a source
    /// met late in the first pass (after an edited one is read) finds its facts decoded. <see cref="Find"/> takes each.
    /// </summary>
    public void Prefetch(IEnumerable<string> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        foreach (var source in sources.Where(_readKeys.ContainsKey))
        {
            var reading = _prefetched.GetOrAdd(source, s => new Lazy<SourceExamination?>(() => Read(s)));
            _ = Task.Run(() => reading.Value);
        }
    }

    /// <summary>The source's remembered examination, or null (none, a damaged one, or a source without a read key).</summary>
    public SourceExamination? Find(string source)
    {
        var found = _prefetched.TryRemove(source, out var reading) ? reading.Value : Read(source);
        if (found is not null)
        {
            Interlocked.Increment(ref _reused);
        }

        return found;
    }

    private SourceExamination? Read(string source)
    {
        if (!_readKeys.TryGetValue(source, out var readKey) || _cache.OpenRead(Stage, Key(readKey)) is not { } entry)
        {
            return null;
        }

        try
        {
            // Read as a stream (checked as a whole when opened): a million conversations' entry is never one array.
            using var reader = new BinaryReader(new BufferedStream(entry, 1 << 16));
            if (reader.ReadInt32() != FormatVersion)
            {
                return null;
            }

            var keys = new Digest128[reader.ReadInt32()];
            for (int i = 0; i < keys.Length; i++)
            {
                keys[i] = new Digest128(reader.ReadUInt64(), reader.ReadUInt64());
            }

            var identity = reader.ReadString();
            bool[]? contaminated = null;
            if (identity.Length > 0)
            {
                var bits = reader.ReadBytes((keys.Length + 7) / 8);
                contaminated = new bool[keys.Length];
                for (int i = 0; i < keys.Length; i++)
                {
                    contaminated[i] = (bits[i / 8] & (1 << (i % 8))) != 0;
                }
            }

            var facts = reader.ReadBoolean() ? ExaminedFactTable.Read(reader, keys.Length) : null;
            return new SourceExamination(keys, identity.Length > 0 ? identity : null, contaminated) { Facts = facts };
        }
        catch (EndOfStreamException)
        {
            return null;
        }
    }

    /// <summary>Publishes the source's examination (replacing one made against other queries).</summary>
    /// <param name="writeFacts">Writes each conversation's facts (<see cref="WriteFacts"/>, in read order) when the examination does not hold them.</param>
    public void Remember(string source, SourceExamination examination, Action<BinaryWriter>? writeFacts = null)
    {
        ArgumentNullException.ThrowIfNull(examination);
        if (!_readKeys.TryGetValue(source, out var readKey))
        {
            return;
        }

        // Streamed into the entry (hashed as written, published by Commit): never held whole in memory.
        using var entry = _cache.BeginPut(Stage, Key(readKey));
        var buffered = new BufferedStream(entry.Payload, 1 << 16);
        using (var writer = new BinaryWriter(buffered, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(examination.Keys.Count);
            foreach (var key in examination.Keys)
            {
                writer.Write(key.High);
                writer.Write(key.Low);
            }

            writer.Write(examination.ContaminationIdentity ?? string.Empty);
            if (examination.ContaminationIdentity is not null)
            {
                var bits = new byte[(examination.Keys.Count + 7) / 8];
                for (int i = 0; i < examination.Keys.Count; i++)
                {
                    if (examination.Contaminated![i])
                    {
                        bits[i / 8] |= (byte)(1 << (i % 8));
                    }
                }

                writer.Write(bits);
            }

            writer.Write(examination.Facts is not null || writeFacts is not null);
            if (examination.Facts is { } facts)
            {
                for (int i = 0; i < facts.Count; i++)
                {
                    WriteFacts(writer, facts.Id(i), facts.Kind(i), facts.HasCalls(i), facts.HasUser(i));
                }
            }
            else
            {
                writeFacts?.Invoke(writer);
            }

            writer.Flush();
        }

        // Not disposed: that would close the entry's stream before Commit writes its header.
        buffered.Flush();
        entry.Commit();
    }

    /// <summary>
    /// The evaluation queries a compile checks contamination against, remembered by <paramref name="identity"/> (what
    /// decides them: <see cref="Recipes.RecipeFingerprint.EvaluationQueries"/>) and the compiler version: building
    /// the suites generates hundreds of conversations, a fixed cost of every compile that examines anything.
    /// </summary>
    public IReadOnlyList<string> Queries(string identity, Func<IReadOnlyList<string>> compute)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(compute);
        var key = ContentHash.OfText($"{QueriesStage}/v1\n{Compilation.CompilerInfo.Version}\n{identity}");
        if (_cache.TryGet(QueriesStage, key, out var payload))
        {
            try
            {
                using var reader = new BinaryReader(new MemoryStream(payload));
                var queries = new string[reader.ReadInt32()];
                for (int i = 0; i < queries.Length; i++)
                {
                    queries[i] = reader.ReadString();
                }

                return queries;
            }
            catch (Exception e) when (e is EndOfStreamException or OverflowException or IOException)
            {
                // Written by another format: computed again below, and replaced.
            }
        }

        var computed = compute();
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(computed.Count);
            foreach (var query in computed)
            {
                writer.Write(query);
            }
        }

        _cache.Put(QueriesStage, key, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        return computed;
    }

    /// <summary>
    /// One conversation's facts as <see cref="Find"/> reads them back: the id's UTF-16 code units as they are (an id may
    /// hold a lone surrogate, which UTF-8 would replace, and decisions hash the id), then kind and flags.
    /// </summary>
    public static void WriteFacts(BinaryWriter writer, ReadOnlySpan<char> id, ConversationKind kind, bool hasCalls, bool hasUser)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write7BitEncodedInt(id.Length);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(id));
        writer.Write((byte)kind);
        writer.Write((byte)((hasCalls ? 1 : 0) | (hasUser ? 2 : 0)));
    }

    private static string Key(string readKey) => ContentHash.OfText($"{Stage}/v{FormatVersion}\n{readKey}");
}

/// <summary>
/// One source's examination, conversation by conversation in read order: exact-duplicate keys, and contamination
/// against the queries named by <see cref="ContaminationIdentity"/> (both null when it was not checked).
/// </summary>
public sealed record SourceExamination(IReadOnlyList<Digest128> Keys, string? ContaminationIdentity, IReadOnlyList<bool>? Contaminated)
{
    /// <summary>Each conversation's facts, in read order (null in an examination that did not record them).</summary>
    public ExaminedFactTable? Facts { get; init; }
}

/// <summary>
/// What the transforms decide on about each conversation of a source, besides its duplicate key and contamination:
/// its id (all ids in one character buffer, no string each: a million of them take ~45 MB, not ~80), its kind,
/// whether it calls a tool and whether it has a user turn.
/// </summary>
public sealed class ExaminedFactTable
{
    private readonly char[] _ids;
    private readonly int[] _starts;
    private readonly byte[] _kinds;
    private readonly byte[] _flags;

    private ExaminedFactTable(char[] ids, int[] starts, byte[] kinds, byte[] flags) => (_ids, _starts, _kinds, _flags) = (ids, starts, kinds, flags);

    public int Count => _kinds.Length;

    public ReadOnlySpan<char> Id(int index) => _ids.AsSpan(_starts[index], _starts[index + 1] - _starts[index]);

    public ConversationKind Kind(int index) => (ConversationKind)_kinds[index];

    public bool HasCalls(int index) => (_flags[index] & 1) != 0;

    public bool HasUser(int index) => (_flags[index] & 2) != 0;

    /// <summary>A table of the given facts (tests, and examinations built in memory).</summary>
    public static ExaminedFactTable Of(IEnumerable<(string Id, ConversationKind Kind, bool HasCalls, bool HasUser)> facts)
    {
        using var buffer = new MemoryStream();
        int count = 0;
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            foreach (var (id, kind, hasCalls, hasUser) in facts ?? throw new ArgumentNullException(nameof(facts)))
            {
                ExaminationMemo.WriteFacts(writer, id, kind, hasCalls, hasUser);
                count++;
            }
        }

        buffer.Position = 0;
        using var reader = new BinaryReader(buffer, System.Text.Encoding.UTF8);
        return Read(reader, count);
    }

    /// <summary>Reads <paramref name="count"/> facts as <see cref="ExaminationMemo.WriteFacts"/> wrote them.</summary>
    internal static ExaminedFactTable Read(BinaryReader reader, int count)
    {
        var ids = new char[Math.Max(16, count * 24)];
        var starts = new int[count + 1];
        var kinds = new byte[count];
        var flags = new byte[count];
        int used = 0;
        for (int i = 0; i < count; i++)
        {
            var chars = reader.Read7BitEncodedInt();
            if (chars < 0 || chars > reader.BaseStream.Length)
            {
                throw new EndOfStreamException("An id's length runs past the entry.");
            }

            if (used + chars > ids.Length)
            {
                Array.Resize(ref ids, Math.Max(used + chars, ids.Length * 2));
            }

            reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ids.AsSpan(used, chars)));
            used += chars;
            starts[i + 1] = used;
            kinds[i] = reader.ReadByte();
            flags[i] = reader.ReadByte();
        }

        return new ExaminedFactTable(ids, starts, kinds, flags);
    }
}
