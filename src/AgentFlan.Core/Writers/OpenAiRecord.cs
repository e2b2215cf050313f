using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Writers;

/// <summary>
/// OpenAI-style chat record: <c>{id, messages, tools}</c>. The thought of a calling turn is its
/// <c>content</c>; arguments are a JSON string, as the API sends them.
/// </summary>
internal static class OpenAiRecord
{
    public static JsonObject Build(Conversation conversation)
    {
        var messages = new JsonArray();
        foreach (var m in conversation.Messages)
        {
            var message = new JsonObject { ["role"] = Role(m.Role) };
            if (m.ToolCalls.Count > 0)
            {
                message["content"] = Turns.Visible(m) is { Length: > 0 } text ? text : null;
                message["tool_calls"] = new JsonArray(m.ToolCalls.Select((c, i) => (JsonNode)new JsonObject
                {
                    ["id"] = c.Id ?? $"call_{i}",
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments.ToJsonString(Json.Compact) },
                }).ToArray());
            }
            else
            {
                message["content"] = Turns.Visible(m);
            }

            if (m.Role == Conversations.Role.Tool)
            {
                message["tool_call_id"] = m.ToolCallId;
                message["name"] = m.Name;
            }

            messages.Add(message);
        }

        var record = new JsonObject { ["id"] = conversation.Id, ["messages"] = messages };
        if (conversation.Tools.Count > 0)
        {
            record["tools"] = new JsonArray(conversation.Tools.Select(t => (JsonNode)new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = t.Name, ["description"] = t.Description, ["parameters"] = t.Parameters.DeepClone() },
            }).ToArray());
        }

        return record;
    }

    private static string Role(Role role) => role switch
    {
        Conversations.Role.System => "system",
        Conversations.Role.User => "user",
        Conversations.Role.Assistant => "assistant",
        _ => "tool",
    };
}
