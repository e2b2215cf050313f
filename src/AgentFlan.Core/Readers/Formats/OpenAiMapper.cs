using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AgentFlan.Conversations;

namespace AgentFlan.Readers.Formats;

/// <summary>
/// OpenAI-style messages (JSON Lines): <c>messages</c> with roles system/developer, user, assistant
/// (<c>tool_calls</c>, or the legacy <c>function_call</c>), tool (<c>tool_call_id</c>) and the legacy function;
/// <c>tools</c> (or legacy <c>functions</c>). <c>weight</c> maps to the loss flag and
/// <c>reasoning_content</c> to the thought, so <see cref="OpenAiMessagesWriter"/> writes back what it read.
/// When the record declares tools, a call to any other tool rejects it (AFB1010).
/// </summary>
internal static class OpenAiMapper
{
    private static readonly string[] ToolListNames = ["tools", "functions"];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Conversation Map(JsonElement record, RecordContext context)
    {
        var builder = new ConversationBuilder();
        foreach (var listName in ToolListNames)
        {
            if (JsonFields.Find(record, listName) is { ValueKind: JsonValueKind.Array } tools)
            {
                var i = 0;
                foreach (var tool in tools.EnumerateArray())
                {
                    builder.Tools.Add(ToolSpecs.FromJson(tool, $"{listName}[{i++}]", context));
                }
            }
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var turn in JsonFields.RequiredArray(record, "messages").EnumerateArray())
        {
            var role = JsonFields.String(turn, "role");
            var content = Content(turn, index, context);
            Message message = role switch
            {
                "system" or "developer" => Message.System(content),
                "user" => Message.User(content),
                "assistant" => Assistant(turn, content, names, context),
                "tool" or "function" => ToolResult(turn, content, role, names, builder, index),
                _ => throw new RecordRejectedException(ReaderCodes.UnknownRole, $"message {index} has role '{role}'"),
            };
            if (JsonFields.Find(turn, "weight") is { ValueKind: JsonValueKind.Number } weight)
            {
                message = message with { Loss = weight.GetDouble() != 0 };
            }

            if (builder.Tools.Count > 0 && Undeclared(message.ToolCalls, builder.Tools) is { } undeclared)
            {
                throw new RecordRejectedException(ReaderCodes.UndeclaredTool, $"message {index} calls '{undeclared.Name}', which the record's tools do not declare");
            }

            builder.Add(message);
            index++;
        }

        return builder.Build(JsonFields.String(record, "id") ?? context.FallbackId, context.Where);
    }

    private static Message Assistant(JsonElement turn, string content, Dictionary<string, string> names, RecordContext context)
    {
        var calls = new List<ToolCall>();
        if (JsonFields.Find(turn, "tool_calls") is { ValueKind: JsonValueKind.Array } toolCalls)
        {
            foreach (var call in toolCalls.EnumerateArray())
            {
                var function = JsonFields.Find(call, "function") ?? throw JsonFields.Shape("a tool call has no 'function'");
                calls.Add(Call(function, JsonFields.String(call, "id"), context));
            }
        }
        else if (JsonFields.Find(turn, "function_call") is { } functionCall)
        {
            calls.Add(Call(functionCall, null, context));
        }

        foreach (var call in calls)
        {
            if (call.Id is not null)
            {
                names[call.Id] = call.Name;
            }
        }

        var thought = JsonFields.String(turn, "reasoning_content") ?? JsonFields.String(turn, "reasoning");
        return new Message(Role.Assistant, content) { ToolCalls = calls, Thought = thought };
    }

    /// <summary>The first call to a tool the record does not declare, or null.</summary>
    private static ToolCall? Undeclared(IReadOnlyList<ToolCall> calls, List<ToolSpec> tools)
    {
        foreach (var call in calls)
        {
            var declared = false;
            foreach (var tool in tools)
            {
                declared |= tool.Name == call.Name;
            }

            if (!declared)
            {
                return call;
            }
        }

        return null;
    }

    private static ToolCall Call(JsonElement function, string? id, RecordContext context)
    {
        var name = JsonFields.String(function, "name");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new RecordRejectedException(ReaderCodes.InvalidToolCall, "a tool call has no name");
        }

        return new ToolCall(name, ToolSpecs.Arguments(JsonFields.Find(function, "arguments"), name, context), id);
    }

    private static Message ToolResult(JsonElement turn, string content, string role, Dictionary<string, string> names, ConversationBuilder builder, int index)
    {
        var id = JsonFields.String(turn, "tool_call_id");
        var name = JsonFields.String(turn, "name");
        if (id is not null)
        {
            if (!names.TryGetValue(id, out var called))
            {
                throw new RecordRejectedException(ReaderCodes.OrphanToolResult, $"message {index} answers tool call '{id}', which no assistant message makes");
            }

            return Message.ToolResult(name ?? called, content, id);
        }

        var previous = builder.Messages.LastOrDefault(message => message.Role == Role.Assistant);
        if (previous is null || previous.ToolCalls.Count == 0)
        {
            throw new RecordRejectedException(ReaderCodes.OrphanToolResult, $"message {index} is a {role} result but no tool call precedes it");
        }

        return Message.ToolResult(name ?? previous.ToolCalls[0].Name, content);
    }

    private static string Content(JsonElement turn, int index, RecordContext context)
    {
        switch (JsonFields.Find(turn, "content"))
        {
            case null:
                return string.Empty;
            case { ValueKind: JsonValueKind.String } text:
                return text.GetString()!;
            case { ValueKind: JsonValueKind.Array } parts:
                var builder = new StringBuilder();
                foreach (var part in parts.EnumerateArray())
                {
                    var text = JsonFields.String(part, "text");
                    if (text is null || (JsonFields.String(part, "type") ?? "text") != "text")
                    {
                        throw JsonFields.Shape($"message {index} has a content part that is not text");
                    }

                    builder.Append(text);
                }

                context.Repaired(ReaderCodes.ContentPartsJoined, "content parts were joined into one string");
                return builder.ToString();
            case { } other:
                throw JsonFields.Shape($"the content of message {index} is a JSON {JsonFields.Kind(other)}");
        }
    }
}
