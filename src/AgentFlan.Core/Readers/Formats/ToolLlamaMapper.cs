using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlan.Conversations;
using AgentFlan.Readers.Text;

namespace AgentFlan.Readers.Formats;

/// <summary>
/// The ToolLLaMA training file (<c>toolllama_G123_dfs_train.json</c>, a JSON array):
/// <c>{"id": "Step n: …", "conversations": [{from, value}]}</c>. The system prompt's Python-repr API list
/// becomes the tools (less Finish) and is cut from the prompt; assistant ReAct steps become calls with
/// thoughts; function turns become results; the final <c>Finish</c> becomes the answer text. The
/// <c>Begin!</c> line after the query is dropped.
/// </summary>
internal static class ToolLlamaMapper
{
    private const string ApiMarker = "Specifically, you have access to the following APIs:";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Conversation Map(JsonElement record, RecordContext context)
    {
        var builder = new ConversationBuilder();
        var finished = false;
        var index = 0;
        foreach (var turn in JsonFields.RequiredArray(record, "conversations").EnumerateArray())
        {
            if (finished)
            {
                throw new RecordRejectedException(ReaderCodes.UnexpectedShape, $"turn {index} follows the Finish call");
            }

            var from = JsonFields.String(turn, "from");
            var value = JsonFields.String(turn, "value") ?? throw JsonFields.Shape($"turn {index} has no 'value'");
            switch (from)
            {
                case "system":
                    AddSystem(value, builder);
                    break;
                case "user":
                    builder.Add(Message.User(ToolBenchFinish.UserText(value, !builder.Messages.Any(m => m.Role == Role.User))));
                    break;
                case "assistant":
                    finished = AddAssistant(value, index, builder, context);
                    break;
                case "function":
                    builder.AddToolResult(ToolBenchFinish.ResultText(value, context));
                    break;
                default:
                    throw new RecordRejectedException(ReaderCodes.UnknownRole, $"turn {index} is from '{from}'");
            }

            index++;
        }

        if (!finished)
        {
            throw ToolBenchFinish.Unfinished();
        }

        return builder.Build(JsonFields.String(record, "id") ?? context.FallbackId, context.Where);
    }

    private static void AddSystem(string value, ConversationBuilder builder)
    {
        var marker = value.IndexOf(ApiMarker, StringComparison.Ordinal);
        if (marker < 0)
        {
            builder.Add(Message.System(value.Trim()));
            return;
        }

        builder.Add(Message.System(value[..marker].Trim()));
        var list = value[(marker + ApiMarker.Length)..].Trim();
        if (PythonLiteral.TryParse(list, out var ok) is not JsonArray apis || !ok)
        {
            throw new RecordRejectedException(ReaderCodes.InvalidToolSpec, "the API list after 'Specifically, you have access to the following APIs:' is not a Python list literal");
        }

        var i = 0;
        foreach (var api in apis)
        {
            var tool = ToolSpecs.FromJson(api, $"API {i++}");
            if (tool.Name != ToolBenchFinish.ToolName)
            {
                builder.Tools.Add(tool);
            }
        }
    }

    private static bool AddAssistant(string value, int index, ConversationBuilder builder, RecordContext context)
    {
        if (ReActStep.TryParse(value) is not { } step)
        {
            builder.Add(Message.Assistant(ReActStep.StripThoughtLabel(value)));
            return false;
        }

        if (step.Action.Length == 0)
        {
            throw new RecordRejectedException(ReaderCodes.UnparsedAction, $"turn {index} has an empty Action");
        }

        var arguments = ActionInputs.Parse(step.Input, step.Action, context, wrapText: false);
        if (step.Action == ToolBenchFinish.ToolName)
        {
            builder.Add(Message.Assistant(ToolBenchFinish.FinalAnswer(arguments)) with { Thought = step.Thought });
            return true;
        }

        builder.Add(Message.Assistant(string.Empty) with { Thought = step.Thought, ToolCalls = [builder.Call(step.Action, arguments)] });
        return false;
    }
}
