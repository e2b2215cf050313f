using System.Text;
using System.Text.Json;

namespace AgentFlan.Caching;

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
