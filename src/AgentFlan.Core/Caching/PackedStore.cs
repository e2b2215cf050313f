using System.Text.Json;
using AgentFlan.Compilation;
using AgentFlan.Conversations;
using AgentFlan.Hashing;

namespace AgentFlan.Caching;

/// <summary>
/// The packed stage: one segment's shards — the rows its samples packed into, after capability weights, the
/// over-length policy and packing — with what its samples add to the statistics and the report examples it offers.
/// A segment is one file source's training conversations (the built samples are never stored), and a compile packs
/// each segment into shards of its own, so editing one of several sources repacks only that one: the others' shards
/// are taken from here under their new numbers, without reading, tokenizing or packing anything of theirs.
/// Key: the segment's identity (the source's read-stage key and a digest of the plan's decisions about its
/// conversations: <see cref="Transforms.PlanSegment.Decisions"/>) and every setting from rendering on (tokenizer
/// content, template, masking, capability weights and policy, seed, sequence settings), plus the compiler version.
/// The entry holds the summary (<see cref="PackedSummary"/>, shard hashes included); the shard files (token and mask
/// files) are blobs of stage <see cref="ShardStage"/> named by their SHA-256 — the files the compile wrote, hard-linked when the file
/// system allows (storing costs no copy), and checked against their name whenever they are taken.
/// </summary>
public static class PackedStore
{
    public const string Stage = "packed";

    /// <summary>The blobs: shard files by the SHA-256 of their bytes.</summary>
    public const string ShardStage = "shards";

    private const int FormatVersion = 3;

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

    /// <summary>Stores a segment: its shard files as blobs (linked, not copied, where the file system allows), then its summary.</summary>
    public static void Store(StageCache cache, string key, IReadOnlyList<(string Path, ShardInfo Shard)> shards, PackedSummary summary)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(summary);
        foreach (var (path, shard) in shards)
        {
            cache.PutBlob(ShardStage, shard.Sha256, path);
            cache.PutBlob(ShardStage, shard.MaskSha256, Shards.ShardFormat.MaskPathOf(path));
        }

        cache.Put(Stage, key, JsonSerializer.SerializeToUtf8Bytes(summary with { Shards = [.. shards.Select(s => s.Shard)] }, StreamedEntry.Options));
    }

    /// <summary>
    /// The segment under <paramref name="key"/>: its summary, and its shards' token and mask files written to new temp
    /// files named by <paramref name="pathFor"/>(shard) (linked or copied from their blobs, each checked against its
    /// hash), for the caller to rename into place. Throws <see cref="CacheEntryDamagedException"/> when the entry or a shard is gone
    /// or damaged (then deleted and reported); no temp file is left behind.
    /// </summary>
    public static (PackedSummary Summary, IReadOnlyList<(string Tokens, string Mask)> Temps) Take(StageCache cache, string key, Func<int, string> pathFor)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(pathFor);
        PackedSummary? summary = null;
        if (cache.TryGet(Stage, key, out var payload))
        {
            try
            {
                summary = JsonSerializer.Deserialize<PackedSummary>(payload, StreamedEntry.Options);
            }
            catch (JsonException)
            {
                // Written by another format: a miss like a damaged one.
            }
        }

        if (summary is null)
        {
            throw new CacheEntryDamagedException($"The packed entry {key} is gone or unreadable.");
        }

        var temps = new List<string>();
        try
        {
            var pairs = new List<(string Tokens, string Mask)>(summary.Shards.Count);
            for (int i = 0; i < summary.Shards.Count; i++)
            {
                var path = pathFor(i);
                var tokens = TakeBlob(cache, Stage, key, summary.Shards[i].Sha256, IO.AtomicFile.TempPathFor(path), temps);
                var mask = TakeBlob(cache, Stage, key, summary.Shards[i].MaskSha256, IO.AtomicFile.TempPathFor(Shards.ShardFormat.MaskPathOf(path)), temps);
                pairs.Add((tokens, mask));
            }

            return (summary, pairs);
        }
        catch
        {
            temps.ForEach(File.Delete);
            throw;
        }
    }

    /// <summary>
    /// Shard blob <paramref name="sha256"/> of the entry <paramref name="stage"/>/<paramref name="key"/> linked or copied
    /// to <paramref name="temp"/> (added to <paramref name="temps"/>). When it is gone or damaged, the entry cannot serve
    /// without it (pruned apart, or damaged and reported): it is removed, for the next compile to store again, and
    /// <see cref="CacheEntryDamagedException"/> is thrown.
    /// </summary>
    internal static string TakeBlob(StageCache cache, string stage, string key, string sha256, string temp, List<string> temps)
    {
        if (!cache.TryGetBlob(ShardStage, sha256, temp))
        {
            cache.Remove(stage, key);
            throw new CacheEntryDamagedException($"Shard file {sha256} of {stage} entry {key} is gone or damaged.");
        }

        temps.Add(temp);
        return temp;
    }
}

/// <summary>What a packed entry records.</summary>
public sealed record PackedSummary
{
    /// <summary>The segment's shards in order, with their hashes (their file names are given again where they are copied to).</summary>
    public IReadOnlyList<ShardInfo> Shards { get; init; } = [];

    /// <summary>What the segment's samples add to the statistics.</summary>
    public SegmentTally Tally { get; init; } = new();

    /// <summary>The report-example candidates the segment offered, in order.</summary>
    public IReadOnlyList<Conversation> Candidates { get; init; } = [];

    /// <summary>Those of them whose sample was written.</summary>
    public IReadOnlyList<string> Written { get; init; } = [];
}
