using System.Text.Json;
using AgentFlan.Compilation;

namespace AgentFlan.Caching;

/// <summary>Opens and creates streamed entries in a <see cref="StageCache"/>.</summary>
public static class StreamedEntry
{
    internal static JsonSerializerOptions Options { get; } = new(DatasetManifest.JsonOptions) { WriteIndented = false };

    /// <summary>The entry, checked, or null when the cache has none (or a damaged one).</summary>
    public static StreamedEntryReader<TRecord, TSummary>? Open<TRecord, TSummary>(StageCache cache, string stage, string key, int formatVersion, Func<BinaryReader, Func<TRecord>> codec)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var stream = cache.OpenRead(stage, key);
        return stream is null ? null : new StreamedEntryReader<TRecord, TSummary>(stream, formatVersion, stage, codec);
    }

    /// <summary>
    /// The entry, or null when the cache has none (or one whose summary is damaged), read while streaming
    /// (<see cref="StageCache.OpenStreaming"/>): it must have been written by <see cref="CreateStreamed"/>. The
    /// summary is checked before it is returned; the records are checked when they have all been read, and a damaged
    /// entry ends <see cref="StreamedEntryReader{TRecord, TSummary}.Records"/> with <see cref="CacheEntryDamagedException"/>.
    /// </summary>
    public static StreamedEntryReader<TRecord, TSummary>? OpenStreaming<TRecord, TSummary>(StageCache cache, string stage, string key, int formatVersion, Func<BinaryReader, Func<TRecord>> codec)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var entry = cache.OpenStreaming(stage, key);
        if (entry is null)
        {
            return null;
        }

        try
        {
            return new StreamedEntryReader<TRecord, TSummary>(entry, formatVersion, stage, codec);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException)
        {
            entry.Damaged(e);
            return null;
        }
    }

    public static StreamedEntryWriter<TRecord, TSummary> Create<TRecord, TSummary>(StageCache cache, string stage, string key, int formatVersion, Func<BinaryWriter, Action<TRecord>> codec)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return new StreamedEntryWriter<TRecord, TSummary>(cache.BeginPut(stage, key), formatVersion, codec);
    }

    /// <summary>An entry for <see cref="OpenStreaming"/>: the same layout, plus the summary's own hash.</summary>
    public static StreamedEntryWriter<TRecord, TSummary> CreateStreamed<TRecord, TSummary>(StageCache cache, string stage, string key, int formatVersion, Func<BinaryWriter, Action<TRecord>> codec)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return new StreamedEntryWriter<TRecord, TSummary>(cache.BeginPut(stage, key), formatVersion, codec, summaryHash: true);
    }
}
