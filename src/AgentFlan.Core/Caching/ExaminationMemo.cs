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
    private const int FormatVersion = 2;

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

    /// <summary>Sources whose examination came from the memo so far.</summary>
    public int Reused { get; private set; }

    /// <summary>The source's remembered examination, or null (none, a damaged one, or a source without a read key).</summary>
    public SourceExamination? Find(string source)
    {
        if (!_readKeys.TryGetValue(source, out var readKey) || !_cache.TryGet(Stage, Key(readKey), out var payload))
        {
            return null;
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload));
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

            ExaminedFacts[]? facts = null;
            if (reader.ReadBoolean())
            {
                facts = new ExaminedFacts[keys.Length];
                for (int i = 0; i < facts.Length; i++)
                {
                    var id = reader.ReadString();
                    var kind = (ConversationKind)reader.ReadByte();
                    var flags = reader.ReadByte();
                    facts[i] = new ExaminedFacts(id, kind, (flags & 1) != 0, (flags & 2) != 0);
                }
            }

            Reused++;
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

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
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
                foreach (var fact in facts)
                {
                    WriteFacts(writer, fact.Id, fact.Kind, fact.HasCalls, fact.HasUser);
                }
            }
            else
            {
                writeFacts?.Invoke(writer);
            }
        }

        _cache.Put(Stage, Key(readKey), buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
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

    /// <summary>One conversation's facts as <see cref="Find"/> reads them back (the id as a length-prefixed UTF-8 string, no string needed).</summary>
    public static void WriteFacts(BinaryWriter writer, ReadOnlySpan<char> id, ConversationKind kind, bool hasCalls, bool hasUser)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write7BitEncodedInt(System.Text.Encoding.UTF8.GetByteCount(id));
        writer.Write(id);
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
    public IReadOnlyList<ExaminedFacts>? Facts { get; init; }
}

/// <summary>What the transforms decide on about one conversation, besides its duplicate key and contamination.</summary>
public readonly record struct ExaminedFacts(string Id, ConversationKind Kind, bool HasCalls, bool HasUser);
