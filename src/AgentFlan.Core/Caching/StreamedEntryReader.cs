using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AgentFlan.Caching;

/// <summary>Reads an entry <see cref="StreamedEntryWriter{TRecord, TSummary}"/> wrote: the summary at once, the records once, in order.</summary>
public sealed class StreamedEntryReader<TRecord, TSummary> : IDisposable
{
    private readonly Stream _stream;
    private readonly StageCache.EntryStream? _entry;
    private readonly Func<BinaryReader, Func<TRecord>> _codec;
    private readonly long _recordsStart;

    /// <summary>An entry the cache verified as a whole when it opened it.</summary>
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

        _recordsStart = stream.Position;
    }

    /// <summary>
    /// An entry read while streaming (written with a checked summary): the summary is checked against its own hash
    /// before it is used, the records are checked by the entry's hash when <see cref="Records"/> reaches the end.
    /// </summary>
    /// <exception cref="InvalidDataException">The summary or the header is damaged.</exception>
    internal StreamedEntryReader(StageCache.EntryStream entry, int formatVersion, string stage, Func<BinaryReader, Func<TRecord>> codec)
    {
        _stream = entry;
        _entry = entry;
        _codec = codec;
        const int Trailer = StreamedEntryWriter<TRecord, TSummary>.SummaryHashSize + 8;
        Span<byte> word = stackalloc byte[8];
        if (entry.PayloadLength < 5 + Trailer)
        {
            throw new InvalidDataException($"The {stage} entry is too short.");
        }

        entry.ReadAt(entry.PayloadLength - 8, word);
        var summaryStart = BinaryPrimitives.ReadInt64LittleEndian(word);
        if (summaryStart < 5 || summaryStart > entry.PayloadLength - Trailer)
        {
            throw new InvalidDataException($"The {stage} entry's summary offset is out of range.");
        }

        var bytes = new byte[entry.PayloadLength - Trailer - summaryStart];
        entry.ReadAt(summaryStart, bytes);
        Span<byte> expected = stackalloc byte[StreamedEntryWriter<TRecord, TSummary>.SummaryHashSize];
        entry.ReadAt(entry.PayloadLength - Trailer, expected);
        if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(expected))
        {
            throw new InvalidDataException($"The {stage} entry's summary does not match its hash.");
        }

        Summary = JsonSerializer.Deserialize<TSummary>(bytes, StreamedEntry.Options) ?? throw new InvalidDataException($"The {stage} entry has no summary.");
        entry.ReadExactly(word[..4]);
        if (BinaryPrimitives.ReadInt32LittleEndian(word) != formatVersion)
        {
            throw new InvalidDataException($"The {stage} entry has another format version.");
        }
    }

    public TSummary Summary { get; }

    /// <summary>
    /// The records in order. For an entry read while streaming, the entry's hash is checked after the last record:
    /// a damaged entry (or one whose records do not decode) is deleted, reported and ends the enumeration with
    /// <see cref="CacheEntryDamagedException"/>.
    /// </summary>
    public IEnumerable<TRecord> Records()
    {
        if (_entry is null)
        {
            // Not disposed: that would close the entry's stream, which Replay reads again.
            var buffer = new BufferedStream(_stream, 1 << 20);
            using var verified = new BinaryReader(buffer, Encoding.UTF8, leaveOpen: true);
            var next = _codec(verified);
            while (verified.ReadByte() == 1)
            {
                yield return next();
            }

            yield break;
        }

        // The entry buffers and hashes on its own; it stays open after the records, for IsDamaged.
        using var reader = new BinaryReader(_entry, Encoding.UTF8, leaveOpen: true);
        var read = _codec(reader);

        while (true)
        {
            TRecord record;
            try
            {
                var marker = reader.ReadByte();
                if (marker == 0)
                {
                    break;
                }

                record = marker == 1 ? read() : throw new InvalidDataException($"Unexpected record marker {marker}.");
            }
            catch (Exception e) when (e is IOException or InvalidDataException or FormatException or OverflowException or ArgumentException)
            {
                throw _entry.Damaged(e);
            }

            yield return record;
        }

        _entry.Verify();
    }

    /// <summary>
    /// The records again from the first, for an entry verified as a whole when it was opened: its open handle reads
    /// the same bytes whatever happens to the file's name since (a publish renames over it, a prune deletes it).
    /// </summary>
    public IEnumerable<TRecord> Replay()
    {
        if (_entry is not null)
        {
            throw new InvalidOperationException("An entry read while streaming is checked as it is read, once; it cannot be replayed.");
        }

        return Replayed();
    }

    /// <summary>
    /// Fills <paramref name="buffer"/> from <paramref name="position"/> (a position in the entry's file, as the stream
    /// the codec reads reports it) of an entry verified as a whole when it was opened. Positional, so several threads
    /// may read at once.
    /// </summary>
    public void ReadAt(long position, Span<byte> buffer)
    {
        if (_entry is not null || _stream is not FileStream file)
        {
            throw new InvalidOperationException("Only an entry verified when it was opened is read by position.");
        }

        while (buffer.Length > 0)
        {
            int read = RandomAccess.Read(file.SafeFileHandle, buffer, position);
            if (read == 0)
            {
                throw new EndOfStreamException($"The entry ends before position {position + buffer.Length}.");
            }

            buffer = buffer[read..];
            position += read;
        }
    }

    private IEnumerable<TRecord> Replayed()
    {
        _stream.Position = _recordsStart;
        foreach (var record in Records())
        {
            yield return record;
        }
    }

    /// <summary>
    /// For an entry read while streaming, whether it is damaged: reads what was not read yet and checks the hash (a
    /// damaged entry is deleted and reported). A compile that failed while using the records asks this to tell a
    /// damaged entry (build it again) from a real error. Always false for an entry verified when opened.
    /// </summary>
    public bool IsDamaged() => _entry is not null && !_entry.IsIntact();

    public void Dispose() => _stream.Dispose();
}
