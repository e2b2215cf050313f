using System.Text;
using System.Text.Json;
using AgentFlan.Compilation;

namespace AgentFlan.Caching;

/// <summary>
/// A stage entry written as its records stream past (<see cref="StreamedEntry"/>): a format version, the
/// records, each behind a marker byte, then a summary known only at the end (JSON) and, last, the summary's
/// offset, so a reader gets the summary first and then streams the records. Nothing is published until
/// <see cref="Commit"/>; disposing without it leaves no entry.
/// </summary>
/// <typeparam name="TRecord">What the entry holds one by one.</typeparam>
/// <typeparam name="TSummary">What the entry records about them, written last.</typeparam>
public sealed class StreamedEntryWriter<TRecord, TSummary> : IDisposable
{
    private readonly StageCache.EntryWriter _entry;
    private readonly BufferedStream _buffer;
    private readonly BinaryWriter _writer;
    private readonly Action<TRecord> _write;

    internal StreamedEntryWriter(StageCache.EntryWriter entry, int formatVersion, Func<BinaryWriter, Action<TRecord>> codec)
    {
        _entry = entry;
        _buffer = new BufferedStream(entry.Payload, 1 << 20);
        _writer = new BinaryWriter(_buffer, Encoding.UTF8, leaveOpen: true);
        _writer.Write(formatVersion);
        _write = codec(_writer);
    }

    public void Add(TRecord record)
    {
        _writer.Write((byte)1);
        _write(record);
    }

    public void Commit(TSummary summary)
    {
        _writer.Write((byte)0);
        _writer.Flush();
        _buffer.Flush();
        var offset = _entry.Payload.Length;
        _writer.Write(JsonSerializer.SerializeToUtf8Bytes(summary, StreamedEntry.Options));
        _writer.Write(offset);
        _writer.Flush();
        _buffer.Flush();
        _entry.Commit();
    }

    public void Dispose()
    {
        _writer.Dispose();
        _buffer.Dispose();
        _entry.Dispose();
    }
}

/// <summary>Reads an entry <see cref="StreamedEntryWriter{TRecord, TSummary}"/> wrote: the summary at once, the records once, in order.</summary>
public sealed class StreamedEntryReader<TRecord, TSummary> : IDisposable
{
    private readonly Stream _stream;
    private readonly Func<BinaryReader, Func<TRecord>> _codec;

    internal StreamedEntryReader(Stream stream, int formatVersion, string stage, Func<BinaryReader, Func<TRecord>> codec)
    {
        _stream = stream;
        _codec = codec;
        var start = stream.Position;
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        stream.Seek(-8, SeekOrigin.End);
        var summaryStart = start + reader.ReadInt64();
        var bytes = new byte[stream.Length - 8 - summaryStart];
        stream.Position = summaryStart;
        stream.ReadExactly(bytes);
        Summary = JsonSerializer.Deserialize<TSummary>(bytes, StreamedEntry.Options) ?? throw new InvalidDataException($"The {stage} entry has no summary.");
        stream.Position = start;
        if (reader.ReadInt32() != formatVersion)
        {
            throw new InvalidDataException($"The {stage} entry has another format version.");
        }
    }

    public TSummary Summary { get; }

    public IEnumerable<TRecord> Records()
    {
        using var buffer = new BufferedStream(_stream, 1 << 20);
        using var reader = new BinaryReader(buffer, Encoding.UTF8, leaveOpen: true);
        var read = _codec(reader);
        while (reader.ReadByte() == 1)
        {
            yield return read();
        }
    }

    public void Dispose() => _stream.Dispose();
}

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
