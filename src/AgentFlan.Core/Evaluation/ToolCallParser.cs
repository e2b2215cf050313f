using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentFlan.Templates;

namespace AgentFlan.Evaluation;

/// <summary>
/// Reads the tool calls out of a generated assistant turn, in every writing a model of this project may use:
/// the template family's own call syntax (<see cref="ToolSyntax"/>: a JSON object with its name and arguments
/// keys, whatever tags surround it; or the prose form <c>I'll use name with key = value.</c>), the ReAct form
/// (<c>Action: name</c> / <c>Action Input: {…}</c>) and the JSON form (<c>{"thought": …, "name": …,
/// "arguments": …}</c>). Calls come back in the order they appear. A call whose arguments do not parse is still
/// a call (its name counts), with <see cref="ParsedCall.Arguments"/> null.
/// </summary>
public static partial class ToolCallParser
{
    public static IReadOnlyList<ParsedCall> Parse(string text, ToolSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(syntax);
        var calls = new List<ParsedCall>();
        calls.AddRange(React(text));
        calls.AddRange(Prose(text));
        calls.AddRange(JsonObjects(text, syntax));
        return [.. calls.OrderBy(c => c.Position)];
    }

    private static IEnumerable<ParsedCall> React(string text)
    {
        foreach (Match action in ReactAction().Matches(text))
        {
            var name = action.Groups[1].Value;
            var input = ReactInput().Match(text, action.Index + action.Length);
            JsonObject? arguments = null;
            if (input.Success && input.Index == action.Index + action.Length)
            {
                int start = input.Index + input.Length;
                int end = JsonScanner.EndOfValue(text, start, "\n");
                arguments = end > start ? ParseObject(text[start..end]) : null;
            }

            yield return new ParsedCall(name, arguments, "react", action.Index);
        }
    }

    private static IEnumerable<ParsedCall> Prose(string text)
    {
        foreach (Match use in ProseCall().Matches(text))
        {
            var name = use.Groups[1].Value;
            int at = use.Index + use.Length;
            if (!text.AsSpan(at).StartsWith(" with ", StringComparison.Ordinal))
            {
                // "I'll use name." is a call without arguments; anything else after the name is not the call syntax.
                var bare = at >= text.Length || text[at] == '.';
                yield return new ParsedCall(name, bare ? new JsonObject() : null, "prose", use.Index);
                continue;
            }

            yield return new ParsedCall(name, ProseArguments(text, at + " with ".Length), "prose", use.Index);
        }
    }

    /// <summary><c>key = value, key = value.</c> with JSON values; null when any piece does not parse.</summary>
    private static JsonObject? ProseArguments(string text, int at)
    {
        var arguments = new JsonObject();
        while (true)
        {
            var key = ProseKey().Match(text, at);
            if (!key.Success || key.Index != at)
            {
                return null;
            }

            int start = at + key.Length;
            int end = JsonScanner.EndOfValue(text, start, ",");
            if (end <= start)
            {
                return null;
            }

            var raw = text[start..end];
            bool last = end >= text.Length || text[end] != ',';
            if (last && raw.Length > 1 && raw[^1] == '.' && raw[0] is not '"' and not '{' and not '[')
            {
                raw = raw[..^1]; // the sentence's full stop after a bare number or literal
            }

            JsonNode? value;
            try
            {
                value = JsonNode.Parse(raw);
            }
            catch (JsonException)
            {
                return null;
            }

            if (arguments.ContainsKey(key.Groups[1].Value))
            {
                return null;
            }

            arguments[key.Groups[1].Value] = value;
            if (last)
            {
                return arguments;
            }

            at = end + 1;
            while (at < text.Length && text[at] == ' ')
            {
                at++;
            }
        }
    }

    private static IEnumerable<ParsedCall> JsonObjects(string text, ToolSyntax syntax)
    {
        string[] argumentKeys = [syntax.ArgumentsKey, "arguments", "parameters"];
        int at = 0;
        while ((at = text.IndexOf('{', at)) >= 0)
        {
            int end = JsonScanner.EndOfBracketed(text, at);
            JsonObject? obj = end > at ? ParseObject(text[at..end]) : null;
            if (obj is null)
            {
                // Unclosed or invalid: still a call when a name key with a string value follows.
                var name = NameKey(syntax.NameKey).Match(text, at);
                if (name.Success && !text.AsSpan(at, name.Index - at).Contains('}'))
                {
                    yield return new ParsedCall(Unescape(name.Groups[1].Value), null, Syntax(obj, syntax), at);
                    at = name.Index + name.Length;
                    continue;
                }

                at++;
                continue;
            }

            if (obj[syntax.NameKey] is JsonValue nameValue && nameValue.TryGetValue<string>(out var callName)
                && argumentKeys.FirstOrDefault(obj.ContainsKey) is { } argumentsKey)
            {
                yield return new ParsedCall(callName, obj[argumentsKey] as JsonObject, Syntax(obj, syntax), at);
            }

            at = end;
        }
    }

    private static string Syntax(JsonObject? obj, ToolSyntax syntax) =>
        obj is not null && obj.ContainsKey("thought") ? "json" : syntax.CallStyle == ToolCallStyle.Json ? "native" : "json";

    private static JsonObject? ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Unescape(string jsonStringBody)
    {
        try
        {
            return JsonSerializer.Deserialize<string>("\"" + jsonStringBody + "\"") ?? jsonStringBody;
        }
        catch (JsonException)
        {
            return jsonStringBody;
        }
    }

    private static Regex NameKey(string key) => new("\"" + Regex.Escape(key) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"(?m)^\s*Action:[ \t]*([A-Za-z_][\w.-]*)")]
    private static partial Regex ReactAction();

    [GeneratedRegex(@"\s*\r?\nAction Input:[ \t]*")]
    private static partial Regex ReactInput();

    [GeneratedRegex(@"I'll use ([A-Za-z_]\w*)")]
    private static partial Regex ProseCall();

    [GeneratedRegex(@"([A-Za-z_]\w*) = ")]
    private static partial Regex ProseKey();
}
