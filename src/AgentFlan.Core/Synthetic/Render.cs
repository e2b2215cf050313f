using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentFlan.Synthetic;

/// <summary>
/// Turns JSON values into the words an answer uses. Numbers are written exactly as JSON writes them, so a
/// value in a tool result can be found verbatim in the answer that quotes it.
/// </summary>
internal static class Render
{
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Value(JsonNode? node) => node switch
    {
        null => "nothing",
        JsonArray array => List(array),
        JsonObject obj => Object(obj),
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonValue v when v.TryGetValue(out bool b) => b ? "yes" : "no",
        _ => node.ToJsonString(),
    };

    /// <summary>"a", "a and b", "a, b and c".</summary>
    public static string Join(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "none",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };

    private static string List(JsonArray array)
    {
        if (array.Count == 0)
        {
            return "none";
        }

        if (array.All(item => item is JsonObject))
        {
            var builder = new StringBuilder();
            foreach (var item in array)
            {
                builder.Append("\n- ").Append(Object((JsonObject)item!));
            }

            return builder.ToString();
        }

        return Join(array.Select(Value).ToList());
    }

    /// <summary>"first (second, third)": every leaf appears, the first one leads.</summary>
    private static string Object(JsonObject obj)
    {
        var parts = obj.Select(p => Value(p.Value)).ToList();
        return parts.Count switch
        {
            0 => "nothing",
            1 => parts[0],
            _ => $"{parts[0]} ({string.Join(", ", parts.Skip(1))})",
        };
    }
}
