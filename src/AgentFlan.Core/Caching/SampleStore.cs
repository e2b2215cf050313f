using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlan.Compilation;
using AgentFlan.Conversations;
using AgentFlan.Hashing;
using AgentFlan.Recipes;
using AgentFlan.Templates;
using AgentFlan.Tokenization;
using AgentFlan.Transforms;

namespace AgentFlan.Caching;

/// <summary>
/// The samples stage: every document a recipe's sources produce after reading, the Agent-FLAN transforms,
/// rendering and tokenization, before capability weights, the over-length policy, the token budget and
/// packing. Its key covers exactly what decides those documents (sources by content, seed, transforms,
/// template, masking, tokenizer content, compiler version) and nothing that comes after, so changing a
/// capability weight, the sequence length, packing or the token budget reuses it: the compile streams the
/// stored documents, re-weighs their segments, packs and writes, and reads, renders and tokenizes nothing.
/// Two recipes with the same data settings share the entry (the recipe's name is not part of the key).
/// One entry per key, written as the documents stream past and published only when the stream completed.
/// Payload: format version, documents, then the summary (statistics, report examples, quarantined records)
/// as JSON, then the summary's offset.
/// </summary>
public static class SampleStore
{
    public const string Stage = "samples";
    private const int FormatVersion = 1;

    private static readonly JsonSerializerOptions SummaryOptions = new(DatasetManifest.JsonOptions) { WriteIndented = false };

    /// <summary>The settings that do not reach the documents: they are applied to the stored documents.</summary>
    private static readonly string[] AppliedLater = ["recipe", "capabilities", "sequence"];

    /// <param name="files">Every source's input files (by content), in recipe order; synthetic sources have none.</param>
    public static string Key(Recipe recipe, IReadOnlyList<IReadOnlyList<SourceFile>> files)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(files);
        var settings = JsonNode.Parse(RecipeFingerprint.DataSettings(recipe))!.AsObject();
        foreach (var name in AppliedLater)
        {
            settings.Remove(name);
        }

        settings["mixing"]?.AsObject().Remove("max_tokens");
        var text = new StringBuilder($"{Stage}/v{FormatVersion}\n").Append(settings.ToJsonString()).Append('\n');
        for (int s = 0; s < files.Count; s++)
        {
            foreach (var file in files[s])
            {
                text.Append(s).Append(' ').Append(file.Sha256).Append(' ').Append(file.Path).Append('\n');
            }
        }

        return ContentHash.OfText(text.ToString());
    }

    /// <summary>The stored documents under <paramref name="key"/>, or null when the cache has none (or a damaged one).</summary>
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

    /// <summary>Writes documents as they stream past; <see cref="Commit"/> publishes the entry.</summary>
    public sealed class Writer : IDisposable
    {
        private readonly StageCache.EntryWriter _entry;
        private readonly BufferedStream _buffer;
        private readonly BinaryWriter _writer;

        internal Writer(StageCache.EntryWriter entry)
        {
            _entry = entry;
            _buffer = new BufferedStream(entry.Payload, 1 << 20);
            _writer = new BinaryWriter(_buffer, Encoding.UTF8, leaveOpen: true);
            _writer.Write(FormatVersion);
        }

        public void Add(TokenizedDocument document)
        {
            ArgumentNullException.ThrowIfNull(document);
            _writer.Write((byte)1);
            _writer.Write(document.Id);
            _writer.Write(document.Source);
            _writer.Write(document.Where);
            _writer.Write((byte)document.Kind);
            _writer.Write(document.Tokens.Length);
            _writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(document.Tokens.AsSpan()));
            _writer.Write(document.Segments.Length);
            foreach (var segment in document.Segments)
            {
                _writer.Write(segment.Start);
                _writer.Write(segment.Length);
                _writer.Write((byte)segment.Capability);
                _writer.Write(segment.Supervised);
            }
        }

        public void Commit(StoredSummary summary)
        {
            _writer.Write((byte)0);
            _writer.Flush();
            _buffer.Flush();
            var offset = _entry.Payload.Length;
            _writer.Write(JsonSerializer.SerializeToUtf8Bytes(summary, SummaryOptions));
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

    /// <summary>A stored entry: its <see cref="Summary"/>, then its documents, streamed once in order.</summary>
    public sealed class Reader : IDisposable
    {
        private readonly Stream _stream;
        private readonly long _payloadStart;

        internal Reader(Stream stream)
        {
            _stream = stream;
            _payloadStart = stream.Position;
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            stream.Seek(-8, SeekOrigin.End);
            var summaryStart = _payloadStart + reader.ReadInt64();
            var summary = new byte[stream.Length - 8 - summaryStart];
            stream.Position = summaryStart;
            stream.ReadExactly(summary);
            Summary = JsonSerializer.Deserialize<StoredSummary>(summary, SummaryOptions) ?? throw new InvalidDataException("The samples entry has no summary.");
            stream.Position = _payloadStart;
            if (reader.ReadInt32() != FormatVersion)
            {
                throw new InvalidDataException("The samples entry has another format version.");
            }
        }

        public StoredSummary Summary { get; }

        public IEnumerable<TokenizedDocument> Documents()
        {
            using var buffer = new BufferedStream(_stream, 1 << 20);
            using var reader = new BinaryReader(buffer, Encoding.UTF8, leaveOpen: true);
            while (reader.ReadByte() == 1)
            {
                var id = reader.ReadString();
                var source = reader.ReadString();
                var where = reader.ReadString();
                var kind = (ConversationKind)reader.ReadByte();
                var tokens = new int[reader.ReadInt32()];
                reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(tokens.AsSpan()));
                var segments = new DocumentSegment[reader.ReadInt32()];
                for (int i = 0; i < segments.Length; i++)
                {
                    segments[i] = new DocumentSegment(reader.ReadInt32(), reader.ReadInt32(), (Capability)reader.ReadByte(), reader.ReadBoolean());
                }

                yield return new TokenizedDocument(id, kind, source, where, tokens, segments);
            }
        }

        public void Dispose() => _stream.Dispose();
    }
}

/// <summary>What a samples entry records besides its documents: the inputs' statistics, report examples and quarantined records.</summary>
public sealed record StoredSummary
{
    public IReadOnlyList<SourceStatistics> Sources { get; init; } = [];

    public TransformStatistics Transforms { get; init; } = new();

    /// <summary>Conversations the report renders, with the form the transforms gave each.</summary>
    public IReadOnlyList<Conversation> Examples { get; init; } = [];

    public IReadOnlyDictionary<string, RenderForm> ExampleForms { get; init; } = new Dictionary<string, RenderForm>();

    /// <summary>The quarantine file's text per source that rejected records.</summary>
    public IReadOnlyDictionary<string, string> Quarantine { get; init; } = new Dictionary<string, string>();
}
