using System.Runtime.CompilerServices;
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
/// Payload (version 3): format version, documents (token ids at 16 bits when they fit, see
/// <see cref="DocumentCodec.WriteCompact"/>), then the summary (statistics, report examples, quarantined records)
/// as JSON, its SHA-256, then the summary's offset; read while streaming, checked at the end.
/// </summary>
public static class SampleStore
{
    public const string Stage = "samples";
    private const int FormatVersion = 3;

    /// <summary>The settings that do not reach the documents: they are applied to the stored documents.</summary>
    private static readonly string[] AppliedLater = ["recipe", "capabilities", "sequence"];

    /// <param name="files">Every source's input files (by content), in recipe order, then the evaluation sources' (<see cref="Compilation.SourceLoader.KeyFiles"/>); synthetic sources have none.</param>
    public static string Key(Recipe recipe, IReadOnlyList<IReadOnlyList<SourceFile>> files) =>
        Key(RecipeFingerprint.DataSettings(recipe ?? throw new ArgumentNullException(nameof(recipe))), files);

    /// <param name="dataSettings">The recipe's <see cref="RecipeFingerprint.DataSettings"/>, when the caller has it.</param>
    /// <param name="files">Every source's input files (by content), in recipe order, then the evaluation sources' (<see cref="Compilation.SourceLoader.KeyFiles"/>); synthetic sources have none.</param>
    public static string Key(string dataSettings, IReadOnlyList<IReadOnlyList<SourceFile>> files)
    {
        ArgumentNullException.ThrowIfNull(dataSettings);
        ArgumentNullException.ThrowIfNull(files);
        var settings = JsonNode.Parse(dataSettings)!.AsObject();
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

    /// <summary>
    /// The stored documents under <paramref name="key"/>, or null when the cache has none (or one whose summary is
    /// damaged). The entry is read once while the documents stream (<see cref="StageCache.OpenStreaming"/>): its hash
    /// is checked after the last document, and a damaged entry ends the documents with
    /// <see cref="CacheEntryDamagedException"/> (it is deleted and reported), so nothing built from them may be
    /// published before they all went past.
    /// </summary>
    public static StreamedEntryReader<TokenizedDocument, StoredSummary>? Open(StageCache cache, string key) => OpenEntry<StoredSummary>(cache, key);

    public static StreamedEntryWriter<TokenizedDocument, StoredSummary> Create(StageCache cache, string key) => CreateEntry<StoredSummary>(cache, key);

    /// <summary>
    /// The key of one source's part: its documents in the same encoding, keyed by what decides them — the segment's
    /// identity (<see cref="PackedStore.Identity"/>: the source's files and the plan's decisions about its
    /// conversations) and the rendering settings (compiler, tokenizer content, template, masking). The recipe's entry
    /// names its parts (<see cref="StoredSummary.Segments"/>) and holds the rest; a compile that repacks only an
    /// edited source still leaves every part the next reuse needs.
    /// </summary>
    public static string PartKey(string identity, string rendering)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(rendering);
        return ContentHash.OfText($"{Stage}-part/v{FormatVersion}\n{rendering}\n{identity}\n");
    }

    /// <summary>
    /// A source's part under <paramref name="key"/>, read while streaming as <see cref="Open"/> reads the recipe's entry;
    /// null when there is none. Without <paramref name="withIds"/> its documents come without their token ids
    /// (<see cref="TokenizedDocument.HasIds"/>), for a segment whose token files are reused and whose masks alone are placed.
    /// </summary>
    public static StreamedEntryReader<TokenizedDocument, SamplesPart>? OpenPart(StageCache cache, string key, bool withIds = true) => OpenEntry<SamplesPart>(cache, key, withIds);

    public static StreamedEntryWriter<TokenizedDocument, SamplesPart> CreatePart(StageCache cache, string key) => CreateEntry<SamplesPart>(cache, key);

    /// <summary>An entry of documents (the recipe's or a part), read once while streaming.</summary>
    private static StreamedEntryReader<TokenizedDocument, TSummary>? OpenEntry<TSummary>(StageCache cache, string key, bool withIds = true) =>
        StreamedEntry.OpenStreaming<TokenizedDocument, TSummary>(cache, Stage, key, FormatVersion, reader =>
        {
            var scratch = new DocumentCodec.Scratch();
            var limit = reader.BaseStream.Length;
            return () => Read(reader, limit, scratch, withIds);
        });

    private static StreamedEntryWriter<TokenizedDocument, TSummary> CreateEntry<TSummary>(StageCache cache, string key) =>
        StreamedEntry.CreateStreamed<TokenizedDocument, TSummary>(cache, Stage, key, FormatVersion, writer =>
        {
            var scratch = new DocumentCodec.Scratch();
            return document => Write(writer, document, scratch);
        });

    private static void Write(BinaryWriter writer, TokenizedDocument document, DocumentCodec.Scratch scratch)
    {
        writer.Write(document.Id);
        writer.Write(document.Source);
        writer.Write(document.Where);
        writer.Write((byte)document.Kind);
        DocumentCodec.WriteCompact(writer, document.Tokens, document.Segments, scratch);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TokenizedDocument Read(BinaryReader reader, long limit, DocumentCodec.Scratch scratch, bool withIds)
    {
        var id = reader.ReadString();
        var source = reader.ReadString();
        var where = reader.ReadString();
        var kind = (ConversationKind)reader.ReadByte();
        var (tokens, length, segments) = DocumentCodec.ReadCompact(reader, limit, scratch, withIds);
        return new TokenizedDocument(id, kind, source, where, tokens, segments) { Length = length };
    }
}

/// <summary>What a source's part of the samples stage records besides its documents.</summary>
public sealed record SamplesPart(string Source, long Documents);
