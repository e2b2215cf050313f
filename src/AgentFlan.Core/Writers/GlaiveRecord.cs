using System.Text;
using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Writers;

/// <summary>
/// glaive-function-calling-v2 row: <c>{system, chat}</c>. Functions are pretty-printed (4-space indent) in the
/// system text; calls are <c>&lt;functioncall&gt; {"name": …, "arguments": '…'}</c> with single-quoted JSON
/// arguments; results are "FUNCTION RESPONSE:" turns. glaive has no place for thoughts, so they are dropped.
/// </summary>
internal static class GlaiveRecord
{
    public const string EndOfText = " <|endoftext|>";

    public static JsonObject Build(Conversation conversation) => new()
    {
        ["system"] = System(conversation.Tools.Select(t => ToolPrompts.ToolList([t])[0]!).ToList()),
        ["chat"] = Chat(conversation.Messages),
    };

    public static string System(IReadOnlyList<JsonNode> functions) =>
        functions.Count == 0
            ? "SYSTEM: You are a helpful assistant, with no access to external functions."
            : "SYSTEM: You are a helpful assistant with access to the following functions. Use them if required -\n" +
              string.Join("\n\n", functions.Select(f => PyJson.Dumps(f, indent: 4))) + "\n";

    public static string Call(ToolCall call) =>
        $"<functioncall> {{\"name\": \"{call.Name}\", \"arguments\": '{PyJson.Dumps(call.Arguments)}'}}";

    private static string Chat(IReadOnlyList<Message> messages)
    {
        var chat = new StringBuilder();
        foreach (var m in messages)
        {
            switch (m.Role)
            {
                case Role.User:
                    chat.Append("USER: ").Append(m.Content).Append("\n\n\n");
                    break;
                case Role.Tool:
                    chat.Append("FUNCTION RESPONSE: ").Append(m.Content).Append("\n\n\n");
                    break;
                case Role.Assistant when m.ToolCalls.Count > 0:
                    foreach (var call in m.ToolCalls)
                    {
                        chat.Append("ASSISTANT: ").Append(Call(call)).Append(EndOfText).Append("\n\n\n");
                    }

                    break;
                case Role.Assistant:
                    chat.Append("ASSISTANT: ").Append(m.Content).Append(EndOfText).Append("\n\n\n");
                    break;
                default:
                    break;
            }
        }

        return chat.ToString();
    }
}
