using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AgentFlan.Conversations;
using AgentFlan.Diagnostics;
using AgentFlan.IO;

namespace AgentFlan.Evaluation;

/// <summary>
/// <c>held_out.jsonl</c> next to a recipe's manifest: the conversations <c>held_out.fraction</c> set aside, one
/// canonical <see cref="Conversation"/> per line, exactly as they left the split (after deduplication). The compile
/// writes it atomically before the manifest (so a manifest always has its file), and the evaluation reads it: the
/// evaluation meets exactly the conversations training did not see, without reading the sources again.
/// </summary>
public static class HeldOutFile
{
    public const string FileName = "held_out.jsonl";

    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The held-out file of the data set whose manifest is <paramref name="manifest"/>.</summary>
    public static string PathFor(string manifest) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(manifest))!, FileName);

    /// <summary>Writes the held-out conversations to <paramref name="directory"/>; with none, removes a stale file.</summary>
    public static void Write(string directory, IReadOnlyList<Conversation> conversations)
    {
        var path = Path.Combine(directory, FileName);
        if (conversations.Count == 0)
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }

            return;
        }

        var text = new StringBuilder();
        foreach (var conversation in conversations)
        {
            text.Append(JsonSerializer.Serialize(conversation, Options)).Append('\n');
        }

        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>The held-out conversations of a data set; none when it holds nothing out (no file).</summary>
    public static IReadOnlyList<Conversation> Read(string manifest)
    {
        var path = PathFor(manifest);
        if (!File.Exists(path))
        {
            return [];
        }

        var conversations = new List<Conversation>();
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            try
            {
                conversations.Add(JsonSerializer.Deserialize<Conversation>(text, Options) ?? throw new JsonException("empty line"));
            }
            catch (JsonException e)
            {
                throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.EvaluationJobInvalid, $"The held-out file is damaged ({e.Message}); compile the recipe again.", path, line, 1));
            }
        }

        return conversations;
    }
}
