using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Writers;

/// <summary>
/// ToolLLaMA training row: <c>{id: "Step n: query", conversations: [{from, value}]}</c>. Assistant steps are
/// "\nThought: …\nAction: …\nAction Input: …"; the last answer is a Finish step, earlier ones (before a
/// follow-up turn) plain text.
/// </summary>
internal static class ToolLlamaRecord
{
    public static JsonObject Build(Conversation conversation, int index)
    {
        var functions = ToolPrompts.ToolList(conversation.Tools);
        functions.Add(ToolPrompts.FinishFunction());
        var turns = new JsonArray { Turn("system", ToolPrompts.ToolLlamaSystem(functions)) };
        var steps = 0;
        var firstUser = true;
        var lastAnswer = ToolBenchRecord.LastAnswerIndex(conversation);
        for (var i = 0; i < conversation.Messages.Count; i++)
        {
            var m = conversation.Messages[i];
            switch (m.Role)
            {
                case Role.User:
                    turns.Add(Turn("user", firstUser ? $"\n{m.Content}\nBegin!\n" : m.Content));
                    firstUser = false;
                    break;
                case Role.Tool:
                    turns.Add(Turn("function", Turns.ToolBenchObservation(m.Content)));
                    break;
                case Role.Assistant when m.ToolCalls.Count > 0:
                    foreach (var call in m.ToolCalls)
                    {
                        steps++;
                        turns.Add(Turn("assistant", Turns.React(m, call, leadingNewline: true)));
                    }

                    break;
                case Role.Assistant when i != lastAnswer:
                    // An answer before a follow-up turn: nothing may follow Finish, so it is plain text.
                    turns.Add(Turn("assistant", m.Content));
                    break;
                case Role.Assistant:
                    steps++;
                    turns.Add(Turn("assistant", "\nThought: I have what I need to answer.\nAction: Finish\nAction Input: " +
                        new JsonObject { ["return_type"] = "give_answer", ["final_answer"] = m.Content }.ToJsonString(Json.Compact)));
                    break;
                default:
                    break;
            }
        }

        return new JsonObject { ["id"] = $"Step {steps}: {Turns.Query(conversation)}", ["conversations"] = turns, ["source_id"] = conversation.Id };
    }

    private static JsonObject Turn(string from, string value) => new() { ["from"] = from, ["value"] = value };
}
