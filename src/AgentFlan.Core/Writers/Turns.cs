using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Writers;

/// <summary>Helpers the record builders share for reading a canonical conversation.</summary>
internal static class Turns
{
    /// <summary>The first user turn, which public formats treat as "the query".</summary>
    public static string Query(Conversation conversation) =>
        conversation.Messages.FirstOrDefault(m => m.Role == Role.User)?.Content ?? string.Empty;

    /// <summary>The last plain assistant answer.</summary>
    public static string FinalAnswer(Conversation conversation) =>
        conversation.Messages.LastOrDefault(m => m.Role == Role.Assistant && m.ToolCalls.Count == 0)?.Content ?? string.Empty;

    /// <summary>A tool result in ToolBench's envelope: <c>{"error": "...", "response": "..."}</c>.</summary>
    public static string ToolBenchObservation(string content)
    {
        string error = string.Empty, response = content;
        try
        {
            if (JsonNode.Parse(content) is JsonObject obj && obj.Count == 1 && obj["error"] is JsonValue e && e.TryGetValue(out string? message))
            {
                (error, response) = (message, string.Empty);
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: pass the text through as the response.
        }

        return PyJson.Dumps(new JsonObject { ["error"] = error, ["response"] = response });
    }

    /// <summary>"Thought: ...\nAction: name\nAction Input: {...}" for one call of a turn.</summary>
    public static string React(Message message, ToolCall call, bool leadingNewline)
    {
        var thought = message.Thought ?? message.Content;
        return (leadingNewline ? "\n" : string.Empty) + $"Thought: {thought}\nAction: {call.Name}\nAction Input: {call.Arguments.ToJsonString(Json.Compact)}";
    }
}
