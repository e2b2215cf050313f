using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Writers;

/// <summary>
/// Agent-FLAN release row: <c>{id, conversation: [{role, content, loss}]}</c> with system / user / assistant
/// roles only. Calls are written in ReAct form; observations come back as user turns starting "Observation:".
/// </summary>
internal static class AgentFlanRecord
{
    public static JsonObject Build(Conversation conversation)
    {
        var turns = new JsonArray();
        if (conversation.Tools.Count > 0)
        {
            turns.Add(Turn("system", ToolPrompts.AgentFlanSystem(conversation.Tools), false));
        }

        foreach (var m in conversation.Messages)
        {
            switch (m.Role)
            {
                case Role.System:
                    turns.Add(Turn("system", m.Content, false));
                    break;
                case Role.User:
                    turns.Add(Turn("user", m.Content, false));
                    break;
                case Role.Tool:
                    turns.Add(Turn("user", "Observation: " + m.Content, false));
                    break;
                default:
                    var text = m.ToolCalls.Count == 0
                        ? m.Content
                        : string.Join("\n", m.ToolCalls.Select(c => Turns.React(m, c, leadingNewline: false)));
                    turns.Add(Turn("assistant", text, m.Loss));
                    break;
            }
        }

        return new JsonObject { ["id"] = conversation.Id, ["conversation"] = turns };
    }

    private static JsonObject Turn(string role, string content, bool loss) => new() { ["role"] = role, ["content"] = content, ["loss"] = loss };
}
