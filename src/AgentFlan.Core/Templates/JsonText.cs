using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentFlan.Templates;

/// <summary>
/// JSON as templates write it: <c>{"key": value, "other": [1, 2]}</c> (a space after every colon and comma,
/// as Python's <c>json.dumps</c> writes it) or compact, with non-ASCII text kept readable.
/// </summary>
public static class JsonText
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Printable ASCII that the relaxed encoder writes as it is: such a string is only quoted, without a trip through the serializer.</summary>
    private static readonly SearchValues<char> PlainAscii = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    public static string String(string value) =>
        value.AsSpan().ContainsAnyExcept(PlainAscii) ? JsonSerializer.Serialize(value, Relaxed) : string.Concat("\"", value, "\"");

    public static string Compact(JsonNode? node) => node is null ? "null" : node.ToJsonString(Relaxed);

    public static string Spaced(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(node, text);
        return text.ToString();
    }

    /// <summary>The text itself when it is a JSON value, else the text as a JSON string.</summary>
    public static string Value(string text)
    {
        try
        {
            return Spaced(JsonNode.Parse(text));
        }
        catch (JsonException)
        {
            return String(text);
        }
    }

    private static void Write(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case JsonObject obj:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in obj)
                {
                    text.Append(first ? string.Empty : ", ").Append(String(key)).Append(": ");
                    Write(value, text);
                    first = false;
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (int i = 0; i < array.Count; i++)
                {
                    text.Append(i == 0 ? string.Empty : ", ");
                    Write(array[i], text);
                }

                text.Append(']');
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.TryGetValue(out string? s):
                text.Append(String(s));
                break;
            default:
                text.Append(Compact(node));
                break;
        }
    }
}
