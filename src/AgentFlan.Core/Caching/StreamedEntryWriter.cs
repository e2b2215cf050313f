using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AgentFlan.Caching;

/// <summary>
/// A stage entry written as its records stream past (<see cref="StreamedEntry"/>): a format version, the
/// records, each behind a marker byte, then a summary known only at the end (JSON), for an entry read while
/// streaming the summary's SHA-256 (so it can be checked before the records are), and, last, the summary's
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
    private readonly bool _summaryHash;

    internal StreamedEntryWriter(StageCache.EntryWriter entry, int formatVersion, Func<BinaryWriter, Action<TRecord>> codec, bool summaryHash = false)
    {
        _entry = entry;
        _summaryHash = summaryHash;
        _buffer = new BufferedStream(entry.Payload, 1 << 20);
        _writer = new BinaryWriter(_buffer, Encoding.UTF8, leaveOpen: true);
        _writer.Write(formatVersion);
        _write = codec(_writer);
    }

    internal const int SummaryHashSize = 32;

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
        var json = JsonSerializer.SerializeToUtf8Bytes(summary, StreamedEntry.Options);
        _writer.Write(json);
        if (_summaryHash)
        {
            _writer.Write(SHA256.HashData(json));
        }

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
