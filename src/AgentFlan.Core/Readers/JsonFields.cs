using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentFlan.Readers;

/// <summary>Typed access to a record's fields that rejects the record, with the field's name, on a wrong shape.</summary>
internal static class JsonFields
{
    public static JsonElement? Find(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A string field; null when missing or null; rejected when of another type.</summary>
    public static string? String(JsonElement obj, string name) =>
        Find(obj, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } value => value.GetString(),
            { } value => throw Shape($"'{name}' is a JSON {Kind(value)}, not a string"),
        };

    public static string RequiredString(JsonElement obj, string name) =>
        String(obj, name) ?? throw Shape($"the record has no '{name}' string");

    public static JsonElement RequiredArray(JsonElement obj, string name) =>
        Find(obj, name) switch
        {
            { ValueKind: JsonValueKind.Array } value => value,
            null => throw Shape($"the record has no '{name}' array"),
            { } value => throw Shape($"'{name}' is a JSON {Kind(value)}, not an array"),
        };

    /// <summary>A loss flag: true/false, or 1/0 as some copies write it; null when missing or null.</summary>
    public static bool? Loss(JsonElement obj, string name = "loss") =>
        Find(obj, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out var number) && number is 0 or 1 => number == 1,
            { } value => throw Shape($"'{name}' is {value.GetRawText()}, not a boolean"),
        };

    /// <summary>A detached copy of any JSON value (never tied to the scanner's reused buffer).</summary>
    public static JsonNode? ToNode(JsonElement element) => JsonNode.Parse(JsonMarshal.GetRawUtf8Value(element));

    public static JsonObject ToObject(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Object
            ? (JsonObject)ToNode(element)!
            : throw Shape($"{what} is a JSON {Kind(element)}, not an object");

    /// <summary>Parses text that must hold one JSON object; null when it does not.</summary>
    public static JsonObject? TryParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 1024 }) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    public static RecordRejectedException Shape(string reason) => new(ReaderCodes.UnexpectedShape, reason);
}
