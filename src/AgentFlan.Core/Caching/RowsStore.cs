using System.Text.Json;
using AgentFlan.Compilation;
using AgentFlan.Hashing;

namespace AgentFlan.Caching;

/// <summary>
/// The rows stage: one segment's token files — its samples' token ids packed into rows, and the document boundaries —
/// without their masks. Capability weights decide only which tokens are supervised (and, when a sample keeps none,
/// that it is left out), so a compile that changed only them finds here the token files of the packing it would
/// redo: it packs again to place each sample's mask, writes the masks, and links the token files instead of
/// writing them (<see cref="Shards.ShardSetWriter.ReuseTokens"/>).
/// Key: the segment's identity and every packing setting but the capability weights and policy, plus the compiler
/// version. The entry records which samples were kept (<see cref="KeptSamples"/>): a compile whose weights leave out
/// another set packs other rows, finds out at the segment's end, and compiles again without this stage.
/// The token files are blobs of <see cref="PackedStore.ShardStage"/>, shared with the packed stage.
/// </summary>
public static class RowsStore
{
    public const string Stage = "rows";

    private const int FormatVersion = 1;

    /// <param name="identity">The segment's identity (<see cref="PackedStore.Identity"/>).</param>
    /// <param name="settings">Every setting that turns its conversations into rows, but the capability weights and policy (as text).</param>
    public static string Key(string identity, string settings)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(settings);
        return ContentHash.OfText($"{Stage}/v{FormatVersion}\n{CompilerInfo.Version}\n{settings}\n{identity}\n");
    }

    /// <summary>Stores a segment's token files (blobs named by their SHA-256, linked where the file system allows) and which samples they hold.</summary>
    public static void Store(StageCache cache, string key, string kept, IReadOnlyList<(string Path, ShardInfo Shard)> shards)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(shards);
        foreach (var (path, shard) in shards)
        {
            cache.PutBlob(PackedStore.ShardStage, shard.Sha256, path);
        }

        cache.Put(Stage, key, JsonSerializer.SerializeToUtf8Bytes(new RowsEntry(kept, [.. shards.Select(s => s.Shard with { SupervisedTokens = 0, Mask = string.Empty, MaskSha256 = string.Empty })]), StreamedEntry.Options));
    }

    /// <summary>The entry under <paramref name="key"/>, or null when there is none (or it cannot be read).</summary>
    public static RowsEntry? Find(StageCache cache, string key)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (!cache.TryGet(Stage, key, out var payload))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RowsEntry>(payload, StreamedEntry.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The entry's token files linked or copied to temp files named by <paramref name="pathFor"/>(shard), each checked
    /// against its hash. Throws <see cref="CacheEntryDamagedException"/> when a blob is gone or damaged (the entry is
    /// then removed); no temp file is left behind.
    /// </summary>
    public static IReadOnlyList<string> Take(StageCache cache, string key, RowsEntry entry, Func<int, string> pathFor)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(pathFor);
        var temps = new List<string>();
        try
        {
            for (int i = 0; i < entry.Shards.Count; i++)
            {
                PackedStore.TakeBlob(cache, Stage, key, entry.Shards[i].Sha256, IO.AtomicFile.TempPathFor(pathFor(i)), temps);
            }

            return temps;
        }
        catch
        {
            temps.ForEach(File.Delete);
            throw;
        }
    }
}

/// <summary>What a rows entry records: the samples kept (<see cref="KeptSamples"/>) and the token files, in order (counts of documents, tokens and rows; no mask).</summary>
public sealed record RowsEntry(string Kept, IReadOnlyList<ShardInfo> Shards);

/// <summary>
/// A digest of which of a segment's documents became samples, and how long each is: with the segment's identity
/// and the rows settings, what decides the token files.
/// </summary>
public sealed class KeptSamples
{
    private readonly System.IO.Hashing.XxHash128 _hash = new();

    public void Add(long document, int length)
    {
        Span<byte> entry = stackalloc byte[12];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(entry, document);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(entry[8..], length);
        _hash.Append(entry);
    }

    public string Digest() => Convert.ToHexStringLower(_hash.GetCurrentHash());
}
