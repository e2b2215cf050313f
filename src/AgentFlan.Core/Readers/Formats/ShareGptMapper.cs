using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Readers.Formats;

/// <summary>
/// ShareGPT and its forks: <c>conversations</c> of <c>{from, value}</c> (or <c>{role, content}</c>) with
/// human/user, gpt/assistant/chatgpt/bing/bard/model and system; an optional top-level <c>system</c>; a
/// missing <c>id</c>. The LLaMA-Factory fork's <c>function_call</c>/<c>observation</c> turns and
/// <c>tools</c> become structured calls, results and tool specs.
/// </summary>
internal static class ShareGptMapper
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Conversation Map(JsonElement record, RecordContext context)
    {
        var builder = new ConversationBuilder();
        AddTools(record, builder, context);
        if (JsonFields.String(record, "system") is { Length: > 0 } system)
        {
            builder.Add(Message.System(system));
        }

        var index = 0;
        foreach (var turn in JsonFields.RequiredArray(record, "conversations").EnumerateArray())
        {
            var from = JsonFields.String(turn, "from") ?? JsonFields.String(turn, "role");
            var text = JsonFields.String(turn, "value") ?? JsonFields.String(turn, "content")
                ?? throw JsonFields.Shape($"turn {index} has no 'value' text");
            switch (from?.ToLowerInvariant())
            {
                case "human" or "user":
                    builder.Add(Message.User(text));
                    break;
                case "gpt" or "assistant" or "chatgpt" or "bing" or "bard" or "model":
                    builder.Add(Message.Assistant(text));
                    break;
                case "system":
                    builder.Add(Message.System(text));
                    break;
                case "function_call":
                    builder.Add(Message.Assistant(string.Empty) with { ToolCalls = [Call(text, builder, index)] });
                    break;
                case "observation" or "tool" or "function":
                    builder.AddToolResult(text);
                    break;
                default:
                    throw new RecordRejectedException(ReaderCodes.UnknownRole, $"turn {index} is from '{from}'");
            }

            if (JsonFields.Loss(turn) is { } loss)
            {
                builder.ReplaceLast(builder.Messages[^1] with { Loss = loss });
            }

            index++;
        }

        if (index == 0)
        {
            throw new RecordRejectedException(ReaderCodes.EmptyConversation, "'conversations' is empty");
        }

        return builder.Build(JsonFields.String(record, "id") ?? context.FallbackId, context.Where);
    }

    private static ToolCall Call(string text, ConversationBuilder builder, int index)
    {
        if (JsonFields.TryParseObject(text) is not { } call || call["name"] is not JsonValue name || !name.TryGetValue<string>(out var toolName))
        {
            throw new RecordRejectedException(ReaderCodes.InvalidToolCall, $"turn {index} is a function_call but not a JSON object with a name");
        }

        var arguments = call["arguments"] switch
        {
            null => [],
            JsonObject value => (JsonObject)value.DeepClone(),
            JsonValue value when value.TryGetValue<string>(out var json) => JsonFields.TryParseObject(json)
                ?? throw new RecordRejectedException(ReaderCodes.InvalidToolCall, $"the arguments of '{toolName}' are not a JSON object"),
            _ => throw new RecordRejectedException(ReaderCodes.InvalidToolCall, $"the arguments of '{toolName}' are not a JSON object"),
        };
        return builder.Call(toolName, arguments);
    }

    private static void AddTools(JsonElement record, ConversationBuilder builder, RecordContext context)
    {
        var tools = JsonFields.Find(record, "tools");
        if (tools is { ValueKind: JsonValueKind.String } text)
        {
            var json = text.GetString()!;
            tools = json.Trim().Length == 0 ? null : ParseToolList(json);
        }

        if (tools is { ValueKind: JsonValueKind.Array } list)
        {
            var i = 0;
            foreach (var tool in list.EnumerateArray())
            {
                builder.Tools.Add(ToolSpecs.FromJson(tool, $"tools[{i++}]", context));
            }
        }
    }

    private static JsonElement ParseToolList(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new RecordRejectedException(ReaderCodes.InvalidToolSpec, "'tools' is a string but not JSON");
        }
    }
}
