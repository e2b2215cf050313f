using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Writers;

/// <summary>
/// ShareGPT row in its tool-calling fork: <c>{id, conversations: [{from, value}], tools}</c> where
/// <c>from</c> is human / gpt / function_call / observation, a call's value is
/// <c>{"name", "arguments"}</c> as JSON text, and <c>tools</c> is the tool list as a JSON string (absent
/// without tools). The fork has no slot for thoughts, so they are dropped; plain chat is classic ShareGPT.
/// </summary>
internal static class ShareGptRecord
{
    public static JsonObject Build(Conversation conversation)
    {
        var turns = new JsonArray();
        foreach (var m in conversation.Messages)
        {
            switch (m.Role)
            {
                case Role.System:
                    turns.Add(Turn("system", m.Content));
                    break;
                case Role.User:
                    turns.Add(Turn("human", m.Content));
                    break;
                case Role.Tool:
                    turns.Add(Turn("observation", m.Content));
                    break;
                case Role.Assistant when m.ToolCalls.Count > 0:
                    foreach (var call in m.ToolCalls)
                    {
                        turns.Add(Turn("function_call", new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments.DeepClone() }.ToJsonString(Json.Compact)));
                    }

                    break;
                default:
                    turns.Add(Turn("gpt", m.Content));
                    break;
            }
        }

        var record = new JsonObject { ["id"] = conversation.Id, ["conversations"] = turns };
        if (conversation.Tools.Count > 0)
        {
            record["tools"] = ToolPrompts.ToolList(conversation.Tools).ToJsonString(Json.Compact);
        }

        return record;
    }

    private static JsonObject Turn(string from, string value) => new() { ["from"] = from, ["value"] = value };
}
