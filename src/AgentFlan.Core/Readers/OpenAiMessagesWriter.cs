using System.Text.Encodings.Web;
using System.Text.Json;
using AgentFlan.Conversations;
using AgentFlan.IO;

namespace AgentFlan.Readers;

/// <summary>
/// Writes canonical conversations as OpenAI-style messages JSON Lines, the lingua franca of current trainers:
/// <c>{"id", "messages": [...], "tools": [...]}</c>. The loss flag travels as <c>weight</c> (written only where
/// it differs from the role's default: assistant 1, others 0) and the thought as <c>reasoning_content</c>, so
/// the <c>openai</c> reader reads back exactly what was written.
/// </summary>
public static class OpenAiMessagesWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes a JSON Lines file atomically (temp file, then rename); returns the count written.</summary>
    public static int WriteFile(string path, IEnumerable<Conversation> conversations)
    {
        var count = 0;
        AtomicFile.Write(path, stream => count = Write(stream, conversations));
        return count;
    }

    /// <summary>Writes one line per conversation; returns the count written.</summary>
    public static int Write(Stream stream, IEnumerable<Conversation> conversations)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(conversations);
        var count = 0;
        using var writer = new Utf8JsonWriter(stream, Options);
        foreach (var conversation in conversations)
        {
            Write(writer, conversation);
            writer.Flush();
            writer.Reset();
            stream.WriteByte((byte)'\n');
            count++;
        }

        return count;
    }

    public static void Write(Utf8JsonWriter writer, Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(conversation);
        writer.WriteStartObject();
        writer.WriteString("id", conversation.Id);
        writer.WriteStartArray("messages");
        foreach (var message in conversation.Messages)
        {
            WriteMessage(writer, message);
        }

        writer.WriteEndArray();
        if (conversation.Tools.Count > 0)
        {
            writer.WriteStartArray("tools");
            foreach (var tool in conversation.Tools)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", tool.Name);
                writer.WriteString("description", tool.Description);
                writer.WritePropertyName("parameters");
                tool.Parameters.WriteTo(writer);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter writer, Message message)
    {
        writer.WriteStartObject();
        writer.WriteString("role", message.Role switch
        {
            Role.System => "system",
            Role.User => "user",
            Role.Assistant => "assistant",
            _ => "tool",
        });
        if (message.Content.Length == 0 && message.ToolCalls.Count > 0)
        {
            writer.WriteNull("content");
        }
        else
        {
            writer.WriteString("content", message.Content);
        }

        if (message.Thought is not null)
        {
            writer.WriteString("reasoning_content", message.Thought);
        }

        if (message.ToolCalls.Count > 0)
        {
            writer.WriteStartArray("tool_calls");
            foreach (var call in message.ToolCalls)
            {
                writer.WriteStartObject();
                if (call.Id is not null)
                {
                    writer.WriteString("id", call.Id);
                }

                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", call.Name);
                writer.WriteString("arguments", call.Arguments.ToJsonString());
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (message.ToolCallId is not null)
        {
            writer.WriteString("tool_call_id", message.ToolCallId);
        }

        if (message.Role == Role.Tool && message.Name is not null)
        {
            writer.WriteString("name", message.Name);
        }

        if (message.Loss != (message.Role == Role.Assistant))
        {
            writer.WriteNumber("weight", message.Loss ? 1 : 0);
        }

        writer.WriteEndObject();
    }
}
