using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Writers;

/// <summary>
/// OpenAI-style chat record: <c>{id, messages, tools}</c>, shaped like the readers' OpenAI export: arguments
/// are a JSON string, a call-only turn has <c>content: null</c>, the thought travels as
/// <c>reasoning_content</c>, and <c>weight</c> appears only where the loss flag differs from the role's default.
/// </summary>
internal static class OpenAiRecord
{
    public static JsonObject Build(Conversation conversation)
    {
        var messages = new JsonArray();
        foreach (var m in conversation.Messages)
        {
            var message = new JsonObject
            {
                ["role"] = Role(m.Role),
                ["content"] = m.Content.Length == 0 && m.ToolCalls.Count > 0 ? null : m.Content,
            };
            if (m.Thought is not null)
            {
                message["reasoning_content"] = m.Thought;
            }

            if (m.ToolCalls.Count > 0)
            {
                message["tool_calls"] = new JsonArray(m.ToolCalls.Select(c =>
                {
                    var call = new JsonObject();
                    if (c.Id is not null)
                    {
                        call["id"] = c.Id;
                    }

                    call["type"] = "function";
                    call["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments.ToJsonString(Json.Compact) };
                    return (JsonNode)call;
                }).ToArray());
            }

            if (m.ToolCallId is not null)
            {
                message["tool_call_id"] = m.ToolCallId;
            }

            if (m.Role == Conversations.Role.Tool && m.Name is not null)
            {
                message["name"] = m.Name;
            }

            if (m.Loss != (m.Role == Conversations.Role.Assistant))
            {
                message["weight"] = m.Loss ? 1 : 0;
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
