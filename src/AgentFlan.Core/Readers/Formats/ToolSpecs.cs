using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Readers.Formats;

/// <summary>Reads OpenAI-style function specifications (<c>{name, description, parameters}</c>) as they come.</summary>
internal static class ToolSpecs
{
    /// <summary>A function spec; <c>{"type":"function","function":{…}}</c> wrappers are unwrapped.</summary>
    public static ToolSpec FromJson(JsonNode? node, string where)
    {
        if (node is JsonObject wrapper && wrapper["function"] is JsonObject inner)
        {
            node = inner;
        }

        if (node is not JsonObject spec || spec["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name) || name.Length == 0)
        {
            throw new RecordRejectedException(ReaderCodes.InvalidToolSpec, $"{where} has no function name");
        }

        var description = spec["description"] is JsonValue text && text.TryGetValue<string>(out var d) ? d : string.Empty;
        var parameters = spec["parameters"] switch
        {
            null => new JsonObject(),
            JsonObject schema => (JsonObject)schema.DeepClone(),
            _ => throw new RecordRejectedException(ReaderCodes.InvalidToolSpec, $"the parameters of '{name}' in {where} are not a JSON object"),
        };
        return new ToolSpec(name, description, parameters);
    }

    /// <summary>A function spec read from the record; the same JSON read before in this source gives the same instance.</summary>
    public static ToolSpec FromJson(JsonElement element, string where, RecordContext context) =>
        context.ToolSpecs.GetOrAdd(element, where, static (e, w) => FromJson(JsonFields.ToNode(e), w));

    /// <summary>Arguments written as a JSON string (the usual form) or, as a repair, as an object.</summary>
    public static JsonObject Arguments(JsonElement? arguments, string toolName, RecordContext context)
    {
        switch (arguments)
        {
            case null:
                return [];
            case { ValueKind: JsonValueKind.Object } value:
                context.Repaired(ReaderCodes.ArgumentsNotString, "arguments given as a JSON object were accepted as they are");
                return JsonFields.ToObject(value, "arguments");
            case { ValueKind: JsonValueKind.String } value:
                var text = value.GetString()!;
                return text.Trim().Length == 0
                    ? []
                    : JsonFields.TryParseObject(text)
                      ?? throw new RecordRejectedException(ReaderCodes.InvalidToolCall, $"the arguments of '{toolName}' are not a JSON object");
            default:
                throw new RecordRejectedException(ReaderCodes.InvalidToolCall, $"the arguments of '{toolName}' are a JSON {JsonFields.Kind(arguments.Value)}");
        }
    }
}
