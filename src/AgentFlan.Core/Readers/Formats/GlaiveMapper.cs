using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentFlan.Conversations;

namespace AgentFlan.Readers.Formats;

/// <summary>
/// glaive-function-calling-v2: <c>{"system", "chat"}</c> strings. The system prompt's prose stays a system
/// message and its pretty-printed function objects become tool specs; the chat splits on <c>USER:</c>,
/// <c>ASSISTANT:</c> and <c>FUNCTION RESPONSE:</c> at line starts. See docs/formats.md for each defect's fate.
/// </summary>
internal static partial class GlaiveMapper
{
    private const string EndOfText = "<|endoftext|>";
    private const string CallTag = "<functioncall>";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Conversation Map(JsonElement record, RecordContext context)
    {
        var builder = new ConversationBuilder();
        var system = JsonFields.String(record, "system") ?? string.Empty;
        var chat = JsonFields.RequiredString(record, "chat");
        AddSystem(system, builder, context);

        var turns = TurnMarker().Matches(chat);
        if (turns.Count == 0)
        {
            throw new RecordRejectedException(ReaderCodes.EmptyConversation, "the chat has no USER:, ASSISTANT: or FUNCTION RESPONSE: turn");
        }

        for (var i = 0; i < turns.Count; i++)
        {
            var start = turns[i].Index + turns[i].Length;
            var end = i + 1 < turns.Count ? turns[i + 1].Index : chat.Length;
            var speaker = turns[i].Groups["speaker"].Value;
            var text = StripEndOfText(chat[start..end].Trim(), speaker == "ASSISTANT", context);
            switch (speaker)
            {
                case "USER":
                    builder.Add(Message.User(text));
                    break;
                case "ASSISTANT":
                    builder.Add(Assistant(text, i, builder, context));
                    break;
                default:
                    builder.AddToolResult(text);
                    break;
            }
        }

        return builder.Build(JsonFields.String(record, "id") ?? context.FallbackId, context.Where);
    }

    private static void AddSystem(string system, ConversationBuilder builder, RecordContext context)
    {
        var text = system.Trim();
        if (text.StartsWith("SYSTEM:", StringComparison.Ordinal))
        {
            text = text["SYSTEM:".Length..].TrimStart();
        }

        var brace = text.IndexOf('{', StringComparison.Ordinal);
        var prose = (brace < 0 ? text : text[..brace]).Trim();
        if (prose.Length > 0)
        {
            builder.Add(Message.System(prose));
        }

        if (brace < 0)
        {
            return;
        }

        foreach (var spec in Declarations(text[brace..]))
        {
            var tool = ToolSpecs.FromJson(spec, "the system prompt");
            var existing = builder.Tools.Find(t => t.Name == tool.Name);
            if (existing is null)
            {
                builder.Tools.Add(tool);
            }
            else if (existing.Description == tool.Description && JsonNode.DeepEquals(existing.Parameters, tool.Parameters))
            {
                context.Repaired(ReaderCodes.DuplicateToolDeclaration, $"function '{tool.Name}' was declared twice; kept once");
            }
            else
            {
                throw new RecordRejectedException(ReaderCodes.ConflictingToolDeclaration, $"function '{tool.Name}' is declared twice with different specifications");
            }
        }
    }

    /// <summary>The JSON objects that follow each other in the system prompt.</summary>
    private static List<JsonNode?> Declarations(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 256 });
        var specs = new List<JsonNode?>();
        try
        {
            while (reader.Read())
            {
                specs.Add(JsonNode.Parse(ref reader));
            }
        }
        catch (JsonException e)
        {
            throw new RecordRejectedException(ReaderCodes.InvalidToolSpec, $"the function declarations in the system prompt are not JSON ({e.Message})");
        }

        return specs;
    }

    private static Message Assistant(string text, int turn, ConversationBuilder builder, RecordContext context)
    {
        var tag = text.IndexOf(CallTag, StringComparison.Ordinal);
        if (tag < 0)
        {
            return OtherCallSyntax().IsMatch(text)
                ? throw new RecordRejectedException(ReaderCodes.UnparsedAction, $"turn {turn} uses a call syntax other than {CallTag}")
                : Message.Assistant(text);
        }

        var before = text[..tag].Trim();
        if (before.Length > 0)
        {
            context.Repaired(ReaderCodes.TextBeforeCall, "text before <functioncall> was kept as the assistant's content");
        }

        var (name, arguments) = ParseCall(text[(tag + CallTag.Length)..].Trim(), turn, context);
        if (!builder.Tools.Exists(tool => tool.Name == name))
        {
            throw new RecordRejectedException(ReaderCodes.UndeclaredTool, $"turn {turn} calls '{name}', which the system prompt does not declare");
        }

        return Message.Assistant(before) with { ToolCalls = [builder.Call(name, arguments)] };
    }

    /// <summary>
    /// <c>{"name": "f", "arguments": '{…}'}</c>, where the single-quoted part is the JSON text as written
    /// (so apostrophes inside it are fine), or the same with a bare JSON object or a JSON string.
    /// </summary>
    private static (string Name, JsonObject Arguments) ParseCall(string payload, int turn, RecordContext context)
    {
        if (JsonFields.TryParseObject(payload) is { } call && call["name"] is JsonValue nameValue && nameValue.TryGetValue<string>(out var jsonName))
        {
            return call["arguments"] switch
            {
                null => (jsonName, []),
                JsonObject bare => (jsonName, (JsonObject)bare.DeepClone()),
                JsonValue value when value.TryGetValue<string>(out var text) => (jsonName, Arguments(text, jsonName, turn, context)),
                _ => throw new RecordRejectedException(ReaderCodes.InvalidToolCall, $"the arguments of '{jsonName}' in turn {turn} are not an object"),
            };
        }

        var quoted = QuotedCall().Match(payload);
        return quoted.Success
            ? (quoted.Groups["name"].Value, Arguments(quoted.Groups["arguments"].Value, quoted.Groups["name"].Value, turn, context))
            : throw new RecordRejectedException(ReaderCodes.UnparsedAction, $"the {CallTag} in turn {turn} is not {{\"name\", \"arguments\"}}");
    }

    private static JsonObject Arguments(string text, string name, int turn, RecordContext context)
    {
        if (text.Trim().Length == 0)
        {
            return [];
        }

        if (JsonFields.TryParseObject(text) is { } arguments)
        {
            return arguments;
        }

        if (text.Contains("\\\"", StringComparison.Ordinal) || text.Contains("\\'", StringComparison.Ordinal))
        {
            var unescaped = text.Replace("\\'", "'", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal);
            if (JsonFields.TryParseObject(unescaped) is { } repaired)
            {
                context.Repaired(ReaderCodes.ArgumentsUnescaped, "backslash-escaped quotes in arguments were unescaped");
                return repaired;
            }
        }

        var why = NonJsonNumber().IsMatch(text) ? " (Infinity or NaN is not JSON)" : string.Empty;
        throw new RecordRejectedException(ReaderCodes.InvalidToolCall, $"the arguments of '{name}' in turn {turn} are not a JSON object{why}");
    }

    private static string StripEndOfText(string text, bool assistant, RecordContext context)
    {
        var trailing = assistant && text.EndsWith(EndOfText, StringComparison.Ordinal);
        var body = trailing ? text[..^EndOfText.Length] : text;
        if (body.Contains(EndOfText, StringComparison.Ordinal))
        {
            context.Repaired(ReaderCodes.StrayEndOfText, "a stray <|endoftext|> inside a turn was removed");
            body = body.Replace(EndOfText, string.Empty, StringComparison.Ordinal);
        }

        return body.Trim();
    }

    [GeneratedRegex(@"^[ \t]*(?<speaker>USER|ASSISTANT|FUNCTION RESPONSE):[ \t]?", RegexOptions.Multiline | RegexOptions.ExplicitCapture)]
    private static partial Regex TurnMarker();

    [GeneratedRegex(@"\A\{\s*""name""\s*:\s*""(?<name>[^""]+)""\s*,\s*""arguments""\s*:\s*'(?<arguments>.*)'\s*\}\z", RegexOptions.Singleline | RegexOptions.ExplicitCapture)]
    private static partial Regex QuotedCall();

    [GeneratedRegex(@"<\s*/?\s*(?:function[_ ]call|tool[_ ]?call|functioncalls?|function)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex OtherCallSyntax();

    [GeneratedRegex(@"(?<![A-Za-z""])-?(?:Infinity|NaN)\b")]
    private static partial Regex NonJsonNumber();
}
