using System.Text;
using System.Text.Json;
using AgentFlan.Compilation;
using AgentFlan.Conversations;
using AgentFlan.Hashing;
using AgentFlan.Recipes;

namespace AgentFlan.Caching;

/// <summary>
/// The read stage of one file source: its accepted conversations in canonical form (<see cref="ConversationCodec"/>),
/// its read statistics and its quarantined records. The key covers the source's files by content (and their
/// paths relative to the recipe, which provenance records), its format, name, count and reader options, and the
/// compiler version; not its weight or tolerance (applied afterwards), so editing one of several sources
/// re-reads only that one. Published only when the whole source was read and passed its tolerance.
/// </summary>
public static class ReadStore
{
    public const string Stage = "read";
    private const int FormatVersion = 1;

    public static string Key(SourceSettings source, IReadOnlyList<SourceFile> files)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(files);
        var text = new StringBuilder($"{Stage}/v{FormatVersion}\n{CompilerInfo.Version}\n")
            .Append(JsonSerializer.Serialize(new { source.Name, source.Format, source.Count, source.Seed, source.Options })).Append('\n');
        foreach (var file in files)
        {
            text.Append(file.Sha256).Append(' ').Append(file.Path).Append('\n');
        }

        return ContentHash.OfText(text.ToString());
    }

    public static Reader? Open(StageCache cache, string key)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var stream = cache.OpenRead(Stage, key);
        return stream is null ? null : new Reader(stream);
    }

    public static Writer Create(StageCache cache, string key)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return new Writer(cache.BeginPut(Stage, key));
    }

    public sealed class Writer : IDisposable
    {
        private readonly EntryTrailer.Writer _entry;
        private readonly ConversationCodec.Writer _codec;

        internal Writer(StageCache.EntryWriter entry)
        {
            _entry = new EntryTrailer.Writer(entry, FormatVersion);
            _codec = new ConversationCodec.Writer(_entry.Records);
        }

        public void Add(Conversation conversation)
        {
            _entry.BeginRecord();
            _codec.Write(conversation);
        }

        public void Commit(StoredRead summary) => _entry.Commit(summary);

        public void Dispose() => _entry.Dispose();
    }

    public sealed class Reader : IDisposable
    {
        private readonly Stream _stream;

        internal Reader(Stream stream)
        {
            _stream = stream;
            Summary = EntryTrailer.Read<StoredRead>(stream, FormatVersion, Stage);
        }

        public StoredRead Summary { get; }

        public IEnumerable<Conversation> Conversations()
        {
            using var buffer = new BufferedStream(_stream, 1 << 20);
            using var reader = new BinaryReader(buffer, Encoding.UTF8, leaveOpen: true);
            var codec = new ConversationCodec.Reader(reader);
            while (EntryTrailer.NextRecord(reader))
            {
                yield return codec.Read();
            }
        }

        public void Dispose() => _stream.Dispose();
    }
}

/// <summary>What a read entry records besides its conversations.</summary>
/// <param name="Reasons">The top rejection reasons with their first locations, for the tolerance error.</param>
/// <param name="Quarantine">The quarantine file's text, when records were rejected.</param>
public sealed record StoredRead(SourceStatistics Statistics, string Reasons, string? Quarantine);
