using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentFlan.Writers;

/// <summary>
/// JSON as Python writes it, because the public corpora were produced by Python: <c>json.dumps</c>
/// (", " and ": " separators, non-ASCII escaped) and <c>repr</c> of a dict (single quotes, True/False/None).
/// </summary>
internal static class PyJson
{
    /// <summary>Python's <c>json.dumps(value)</c> with its default separators; <paramref name="indent"/> as <c>indent=</c>.</summary>
    public static string Dumps(JsonNode? node, int? indent = null)
    {
        var builder = new StringBuilder();
        Write(builder, node, repr: false, indent, 0);
        return builder.ToString();
    }

    /// <summary>Python's <c>repr()</c> of the equivalent dict / list.</summary>
    public static string Repr(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(builder, node, repr: true, null, 0);
        return builder.ToString();
    }

    private static void Write(StringBuilder b, JsonNode? node, bool repr, int? indent, int depth)
    {
        switch (node)
        {
            case null:
                b.Append(repr ? "None" : "null");
                break;
            case JsonObject obj:
                WriteItems(b, '{', '}', obj.Select(p => ((string?)p.Key, p.Value)).ToList(), repr, indent, depth, keyed: true);
                break;
            case JsonArray array:
                WriteItems(b, '[', ']', array.Select(v => ((string?)null, v)).ToList(), repr, indent, depth, keyed: false);
                break;
            case JsonValue v when v.TryGetValue(out string? s):
                String(b, s, repr);
                break;
            case JsonValue v when v.TryGetValue(out bool flag):
                b.Append(repr ? (flag ? "True" : "False") : (flag ? "true" : "false"));
                break;
            default:
                b.Append(node.ToJsonString());
                break;
        }
    }

    private static void WriteItems(StringBuilder b, char open, char close, List<(string? Key, JsonNode? Value)> items, bool repr, int? indent, int depth, bool keyed)
    {
        b.Append(open);
        if (items.Count == 0)
        {
            b.Append(close);
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                b.Append(indent is null ? ", " : ",");
            }

            if (indent is { } n)
            {
                b.Append('\n').Append(' ', n * (depth + 1));
            }

            if (keyed)
            {
                String(b, items[i].Key!, repr);
                b.Append(": ");
            }

            Write(b, items[i].Value, repr, indent, depth + 1);
        }

        if (indent is { } m)
        {
            b.Append('\n').Append(' ', m * depth);
        }

        b.Append(close);
    }

    private static void String(StringBuilder b, string s, bool repr)
    {
        var quote = repr ? (s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'') : '"';
        b.Append(quote);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                default:
                    if (c == quote)
                    {
                        b.Append('\\').Append(c);
                    }
                    else if (c < 0x20 || (!repr && c > 0x7E))
                    {
                        b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        b.Append(c);
                    }

                    break;
            }
        }

        b.Append(quote);
    }
}
