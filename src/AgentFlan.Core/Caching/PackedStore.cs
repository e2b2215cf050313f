using AgentFlan.Compilation;
using AgentFlan.Conversations;
using AgentFlan.Hashing;

namespace AgentFlan.Caching;

/// <summary>
/// The packed stage: one segment's shards — the rows its samples packed into, after capability weights, the
/// over-length policy and packing — with what its samples add to the statistics and the report examples it offers.
/// A segment is one file source's training conversations (the built samples are never stored), and a compile packs
/// each segment into shards of its own, so editing one of several sources repacks only that one: the others' shards
/// are copied from here under their new numbers, without reading, tokenizing or packing anything of theirs.
/// Key: the segment's identity (the source's read-stage key and a digest of the plan's decisions about its
/// conversations: <see cref="Transforms.PlanSegment.Decisions"/>) and every setting from rendering on (tokenizer
/// content, template, masking, capability weights and policy, seed, sequence settings), plus the compiler version.
/// An entry is read once, on a thread of its own while the compile goes on, into temp files that are renamed into
/// place only after its hash checked out; a damaged one is deleted and the compile starts again without it.
/// Payload: format version, the shard files' bytes in chunks, then the summary as JSON.
/// </summary>
public static class PackedStore
{
    public const string Stage = "packed";
    private const int FormatVersion = 1;
    private const int ChunkBytes = 1 << 20;

    /// <param name="identity">What the segment's conversations are: <see cref="Identity"/>.</param>
    /// <param name="packing">Every setting that turns those conversations into rows (as text).</param>
    public static string Key(string identity, string packing)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(packing);
        return ContentHash.OfText($"{Stage}/v{FormatVersion}\n{CompilerInfo.Version}\n{packing}\n{identity}\n");
    }

    /// <summary>A segment's identity: its source's read-stage key (its files by content, format and options) and the plan's decisions about its conversations.</summary>
    public static string Identity(string source, string readKey, string decisions) =>
        ContentHash.OfText($"{source}\n{readKey}\n{decisions}\n");

    /// <summary>
    /// The entry under <paramref name="key"/>, or null when there is none (or one whose summary is damaged): its summary
    /// is checked at once, its shard bytes as <see cref="CopyShards"/> reads them.
    /// </summary>
    public static StreamedEntryReader<ShardChunk, PackedSummary>? Open(StageCache cache, string key) =>
        StreamedEntry.OpenStreaming<ShardChunk, PackedSummary>(cache, Stage, key, FormatVersion, reader =>
        {
            var buffer = new byte[ChunkBytes];
            return () => Read(reader, buffer);
        });

    /// <summary>Stores a segment: its shard files (read back in chunks, each checked against the hash it was written with) and its summary.</summary>
    public static void Store(StageCache cache, string key, IReadOnlyList<(string Path, ShardInfo Shard)> shards, PackedSummary summary)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(summary);
        using var writer = StreamedEntry.CreateStreamed<ShardChunk, PackedSummary>(cache, Stage, key, FormatVersion, binary => chunk => Write(binary, chunk));
        var buffer = new byte[ChunkBytes];
        for (int i = 0; i < shards.Count; i++)
        {
            var (path, shard) = shards[i];
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.SequentialScan);
            using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            int read;
            while ((read = file.Read(buffer)) > 0)
            {
                hash.AppendData(buffer.AsSpan(0, read));
                writer.Add(new ShardChunk(i, buffer, read));
            }

            if (Convert.ToHexStringLower(hash.GetHashAndReset()) != shard.Sha256)
            {
                // Changed since this compile wrote it (another build of the same output): store nothing rather than a wrong segment.
                return;
            }
        }

        writer.Commit(summary);
    }

    /// <summary>
    /// Writes the entry's shards to new temp files beside <paramref name="pathFor"/>(shard) — flushed to disk, for the
    /// caller to rename into place — and checks the entry's hash after the last byte. A damaged entry is deleted and
    /// reported, its temp files removed, and <see cref="CacheEntryDamagedException"/> thrown.
    /// </summary>
    public static IReadOnlyList<string> CopyShards(StreamedEntryReader<ShardChunk, PackedSummary> entry, Func<int, string> pathFor)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(pathFor);
        var temps = new List<string>();
        try
        {
            using var chunks = entry.Records().GetEnumerator();
            var more = chunks.MoveNext();
            for (int shard = 0; shard < entry.Summary.Shards.Count; shard++)
            {
                var temp = IO.AtomicFile.TempPathFor(pathFor(shard));
                temps.Add(temp);
                using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
                while (more && chunks.Current.Shard == shard)
                {
                    file.Write(chunks.Current.Bytes, 0, chunks.Current.Length);
                    more = chunks.MoveNext();
                }

                file.Flush(flushToDisk: true);
            }

            if (more)
            {
                throw new InvalidDataException("The packed entry holds more shard bytes than its summary lists.");
            }

            return temps;
        }
        catch
        {
            temps.ForEach(File.Delete);
            throw;
        }
    }

    private static void Write(BinaryWriter writer, ShardChunk chunk)
    {
        writer.Write(chunk.Shard);
        writer.Write(chunk.Length);
        writer.Write(chunk.Bytes, 0, chunk.Length);
    }

    /// <summary>The next chunk, read into <paramref name="buffer"/> (valid until the next one is read).</summary>
    private static ShardChunk Read(BinaryReader reader, byte[] buffer)
    {
        var shard = reader.ReadInt32();
        var length = reader.ReadInt32();
        if (length is < 0 or > ChunkBytes)
        {
            throw new InvalidDataException($"A packed entry's chunk claims {length} bytes.");
        }

        reader.BaseStream.ReadExactly(buffer, 0, length);
        return new ShardChunk(shard, buffer, length);
    }
}

/// <summary><paramref name="Length"/> bytes of shard number <paramref name="Shard"/> (within its segment), in <paramref name="Bytes"/>.</summary>
public readonly record struct ShardChunk(int Shard, byte[] Bytes, int Length);

/// <summary>What a packed entry records besides the shard bytes.</summary>
public sealed record PackedSummary
{
    /// <summary>The segment's shards in order (their file names are given again where they are copied to).</summary>
    public IReadOnlyList<ShardInfo> Shards { get; init; } = [];

    /// <summary>What the segment's samples add to the statistics.</summary>
    public SegmentTally Tally { get; init; } = new();

    /// <summary>The report-example candidates the segment offered, in order.</summary>
    public IReadOnlyList<Conversation> Candidates { get; init; } = [];

    /// <summary>Those of them whose sample was written.</summary>
    public IReadOnlyList<string> Written { get; init; } = [];
}
