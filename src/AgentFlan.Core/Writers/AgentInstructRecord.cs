using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Writers;

/// <summary>
/// AgentInstruct row: <c>{id, conversations: [{from, loss, value}]}</c>. The first human turn holds the task
/// instructions, the tool list and the problem; calls use the KG task's function-call syntax with one JSON
/// object argument (<c>Action: name({...})</c>); observations are human turns starting "Observation:".
/// <c>loss</c> is null on human turns and true on the trajectory; there is no one-shot demonstration.
/// </summary>
internal static class AgentInstructRecord
{
    public static JsonObject Build(Conversation conversation)
    {
        var turns = new JsonArray();
        var first = true;
        foreach (var m in conversation.Messages)
        {
            switch (m.Role)
            {
                case Role.System:
                    continue;
                case Role.User:
                    var value = first && conversation.Tools.Count > 0 ? ToolPrompts.AgentInstructTask(conversation.Tools, m.Content) : m.Content;
                    turns.Add(Turn("human", null, value));
                    first = false;
                    break;
                case Role.Tool:
                    turns.Add(Turn("human", null, "Observation: " + m.Content));
                    break;
                default:
                    var text = m.ToolCalls.Count == 0
                        ? m.Content
                        : string.Join("\n", m.ToolCalls.Select(c => $"Thought: {m.Thought ?? m.Content}\nAction: {c.Name}({c.Arguments.ToJsonString(Json.Compact)})"));
                    turns.Add(Turn("gpt", m.Loss, text));
                    break;
            }
        }

        return new JsonObject { ["id"] = conversation.Id, ["conversations"] = turns };
    }

    private static JsonObject Turn(string from, bool? loss, string value) =>
        new() { ["from"] = from, ["loss"] = loss is { } l ? JsonValue.Create(l) : null, ["value"] = value };
}
