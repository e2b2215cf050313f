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

    public static StreamedEntryReader<Conversation, StoredRead>? Open(StageCache cache, string key) =>
        StreamedEntry.Open<Conversation, StoredRead>(cache, Stage, key, FormatVersion, reader => new ConversationCodec.Reader(reader).Read);

    public static StreamedEntryWriter<Conversation, StoredRead> Create(StageCache cache, string key) =>
        StreamedEntry.Create<Conversation, StoredRead>(cache, Stage, key, FormatVersion, writer => new ConversationCodec.Writer(writer).Write);
}
