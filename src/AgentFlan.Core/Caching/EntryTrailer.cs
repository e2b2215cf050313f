using System.Text.Json;
using AgentFlan.Compilation;

namespace AgentFlan.Caching;

/// <summary>
/// The layout the streamed stage entries share: a format version, records written as they stream past, then a
/// summary known only at the end (JSON) and, last, the summary's offset, so a reader finds the summary first
/// and then streams the records.
/// </summary>
internal static class EntryTrailer
{
    /// <summary>Writes an entry's records through <see cref="Records"/>; <see cref="Commit"/> adds the summary and publishes it.</summary>
    public sealed class Writer : IDisposable
    {
        private readonly StageCache.EntryWriter _entry;
        private readonly BufferedStream _buffer;

        public Writer(StageCache.EntryWriter entry, int formatVersion)
        {
            _entry = entry;
            _buffer = new BufferedStream(entry.Payload, 1 << 20);
            Records = new BinaryWriter(_buffer, System.Text.Encoding.UTF8, leaveOpen: true);
            Records.Write(formatVersion);
        }

        public BinaryWriter Records { get; }

        /// <summary>Starts a record (a reader stops at the end marker <see cref="Commit"/> writes).</summary>
        public void BeginRecord() => Records.Write((byte)1);

        public void Commit<T>(T summary)
        {
            Records.Write((byte)0);
            Records.Flush();
            _buffer.Flush();
            var offset = _entry.Payload.Length;
            Records.Write(JsonSerializer.SerializeToUtf8Bytes(summary, Options));
            Records.Write(offset);
            Records.Flush();
            _buffer.Flush();
            _entry.Commit();
        }

        public void Dispose()
        {
            Records.Dispose();
            _buffer.Dispose();
            _entry.Dispose();
        }
    }

    /// <summary>Whether another record follows (reads the marker <see cref="Writer.BeginRecord"/> wrote).</summary>
    public static bool NextRecord(BinaryReader reader) => reader.ReadByte() == 1;

    private static readonly JsonSerializerOptions Options = new(DatasetManifest.JsonOptions) { WriteIndented = false };

    /// <summary>Reads the summary of an entry whose payload starts at the stream's position, then checks the version and leaves the stream at the first record.</summary>
    public static T Read<T>(Stream stream, int formatVersion, string stage)
    {
        var start = stream.Position;
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        stream.Seek(-8, SeekOrigin.End);
        var summaryStart = start + reader.ReadInt64();
        var bytes = new byte[stream.Length - 8 - summaryStart];
        stream.Position = summaryStart;
        stream.ReadExactly(bytes);
        var summary = JsonSerializer.Deserialize<T>(bytes, Options) ?? throw new InvalidDataException($"The {stage} entry has no summary.");
        stream.Position = start;
        if (reader.ReadInt32() != formatVersion)
        {
            throw new InvalidDataException($"The {stage} entry has another format version.");
        }

        return summary;
    }
}
