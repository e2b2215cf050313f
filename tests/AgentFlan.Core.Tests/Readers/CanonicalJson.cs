using System.Text.Encodings.Web;
using System.Text.Json;
using AgentFlan.Conversations;
using AgentFlan.Readers;

namespace AgentFlan.Core.Tests.Readers;

/// <summary>
/// A stable, complete JSON dump of read results (every field of the canonical model, in a fixed order), for
/// golden files. Paths are written relative to the fixtures folder so goldens do not depend on the machine.
/// </summary>
internal static class CanonicalJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions NodeOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(IEnumerable<ReadResult> results, string baseDirectory)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            writer.WriteStartArray();
            foreach (var result in results)
            {
                Write(writer, result, baseDirectory);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray()).ReplaceLineEndings("\n") + "\n";
    }

    private static void Write(Utf8JsonWriter writer, ReadResult result, string baseDirectory)
    {
        writer.WriteStartObject();
        switch (result)
        {
            case AcceptedRecord accepted:
                writer.WriteString("result", accepted.IsRepaired ? "repaired" : "accepted");
                WriteWhere(writer, accepted.Conversation.Provenance, baseDirectory);
                if (accepted.IsRepaired)
                {
                    writer.WriteStartArray("repairs");
                    foreach (var repair in accepted.Repairs)
                    {
                        writer.WriteStringValue($"{repair.Code}: {repair.Description}");
                    }

                    writer.WriteEndArray();
                }

                WriteConversation(writer, accepted.Conversation);
                break;
            case RejectedRecord rejected:
                writer.WriteString("result", "rejected");
                WriteWhere(writer, rejected.Where, baseDirectory);
                writer.WriteString("code", rejected.Code);
                writer.WriteString("reason", rejected.Reason);
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteWhere(Utf8JsonWriter writer, Provenance where, string baseDirectory)
    {
        writer.WriteString("where", $"{where.Source}|{Path.GetRelativePath(baseDirectory, where.File ?? string.Empty).Replace('\\', '/')}|line {where.Line}|index {where.Index}");
    }

    private static void WriteConversation(Utf8JsonWriter writer, Conversation conversation)
    {
        writer.WriteString("id", conversation.Id);
        writer.WriteString("kind", conversation.Kind.ToString());
        writer.WriteStartArray("tools");
        foreach (var tool in conversation.Tools)
        {
            writer.WriteStartObject();
            writer.WriteString("name", tool.Name);
            writer.WriteString("description", tool.Description);
            writer.WriteString("parameters", tool.Parameters.ToJsonString(NodeOptions));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("messages");
        foreach (var message in conversation.Messages)
        {
            writer.WriteStartObject();
            writer.WriteString("role", message.Role.ToString());
            writer.WriteBoolean("loss", message.Loss);
            if (message.Thought is not null)
            {
                writer.WriteString("thought", message.Thought);
            }

            writer.WriteString("content", message.Content);
            if (message.ToolCalls.Count > 0)
            {
                writer.WriteStartArray("calls");
                foreach (var call in message.ToolCalls)
                {
                    writer.WriteStringValue($"{call.Id} {call.Name} {call.Arguments.ToJsonString(NodeOptions)}");
                }

                writer.WriteEndArray();
            }

            if (message.ToolCallId is not null || message.Name is not null)
            {
                writer.WriteString("result_of", $"{message.ToolCallId} {message.Name}");
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
