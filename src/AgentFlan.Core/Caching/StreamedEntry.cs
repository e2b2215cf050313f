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

    public static StreamedEntryWriter<TRecord, TSummary> Create<TRecord, TSummary>(StageCache cache, string stage, string key, int formatVersion, Func<BinaryWriter, Action<TRecord>> codec)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return new StreamedEntryWriter<TRecord, TSummary>(cache.BeginPut(stage, key), formatVersion, codec);
    }
}
