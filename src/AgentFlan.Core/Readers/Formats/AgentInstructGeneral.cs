using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentFlan.Conversations;
using AgentFlan.Readers.Text;

namespace AgentFlan.Readers.Formats;

/// <summary>
/// AgentInstruct-style rows on general tools: the first human turn declares the tools as a JSON list after a
/// <c>Tools:</c> line, and each assistant step is <c>Thought: …\nAction: name({…})</c> (the KG task's call
/// syntax with one JSON-object argument). The instructions and the tool list are prompt scaffolding: the
/// user's message is what follows the list, less a leading "Now, my problem is:" label.
/// </summary>
internal static partial class AgentInstructGeneral
{
    /// <summary>The tools declared in a first human turn and the user's own text; null when it declares none.</summary>
    public static (List<ToolSpec> Tools, string Query)? Declared(string? firstHuman)
    {
        if (firstHuman is null || ToolsLabel().Match(firstHuman) is not { Success: true } label)
        {
            return null;
        }

        var start = label.Index + label.Length;
        if (ReadJson(firstHuman, start) is not (JsonArray list, var end))
        {
            throw new RecordRejectedException(ReaderCodes.InvalidToolSpec, "the tool list after 'Tools:' in the first human turn is not a JSON array");
        }

        var tools = new List<ToolSpec>();
        var i = 0;
        foreach (var node in list)
        {
            var tool = ToolSpecs.FromJson(node, $"tool {i++} of the first human turn");
            if (tools.Find(t => t.Name == tool.Name) is { } other && !JsonNode.DeepEquals(other.Parameters, tool.Parameters))
            {
                throw new RecordRejectedException(ReaderCodes.ConflictingToolDeclaration, $"the first human turn declares '{tool.Name}' twice, differently");
            }

            if (!tools.Exists(t => t.Name == tool.Name))
            {
                tools.Add(tool);
            }
        }

        var query = ProblemLabel().Replace(firstHuman[end..], string.Empty, 1).Trim();
        return (tools, query.Length > 0 ? query : firstHuman[..label.Index].Trim());
    }

    /// <summary>True when an assistant turn has a function-call action line (<c>Action: name(</c>).</summary>
    public static bool LooksLikeCall(string text) => CallLine().IsMatch(text);

    /// <summary>
    /// The calls of one assistant turn; empty when it announces no action (a final answer or plain prose).
    /// Several <c>Thought:/Action:</c> pairs in one turn are several calls.
    /// </summary>
    public static List<AgentInstructAction> Parse(string text)
    {
        var actions = new List<AgentInstructAction>();
        var position = 0;
        while (ActionLabel().Match(text, position) is { Success: true } label)
        {
            var thought = ReActStep.StripThoughtLabel(text[position..label.Index]);
            var headStart = label.Index + label.Length;
            var head = CallHead().Match(text, headStart);
            if (!head.Success || head.Index != headStart)
            {
                throw Unparsed(text[headStart..]);
            }

            var name = head.Groups["name"].Value;
            var argumentsStart = head.Index + head.Length;
            JsonObject arguments;
            int end;
            if (ClosingParenthesis().Match(text, argumentsStart) is { Success: true } empty && empty.Index == argumentsStart)
            {
                (arguments, end) = ([], argumentsStart + empty.Length);
            }
            else if (ReadJson(text, argumentsStart) is (JsonObject json, var after)
                && ClosingParenthesis().Match(text, after) is { Success: true } close && close.Index == after)
            {
                (arguments, end) = (json, after + close.Length);
            }
            else
            {
                throw new RecordRejectedException(ReaderCodes.InvalidToolCall, $"the arguments of '{name}' are not one JSON object in parentheses");
            }

            actions.Add(new(thought.Length == 0 ? null : thought, name, arguments));
            position = end;
        }

        if (actions.Count > 0 && text[position..].Trim().Length > 0)
        {
            throw new RecordRejectedException(ReaderCodes.UnparsedAction, $"text follows the last action: '{Cut(text[position..].Trim())}'");
        }

        return actions;
    }

    /// <summary>One JSON value starting at <paramref name="start"/> (after white space), and where it ends; null when there is none.</summary>
    private static (JsonNode? Value, int End)? ReadJson(string text, int start)
    {
        var bytes = Encoding.UTF8.GetBytes(text[start..]);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 1024 });
        try
        {
            var value = JsonNode.Parse(ref reader);
            return (value, start + Encoding.UTF8.GetCharCount(bytes, 0, (int)reader.BytesConsumed));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static RecordRejectedException Unparsed(string found) =>
        new(ReaderCodes.UnparsedAction, $"a general action is not name({{JSON arguments}}): '{Cut(found.Trim())}'");

    private static string Cut(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");

    [GeneratedRegex(@"(?m)^[ \t]*Tools:[ \t]*(?=\r?\n?[ \t]*\[)")]
    private static partial Regex ToolsLabel();

    [GeneratedRegex(@"\A\s*Now, my problem is:", RegexOptions.IgnoreCase)]
    private static partial Regex ProblemLabel();

    [GeneratedRegex(@"(?:\A|\n)[ \t]*Action:[ \t]*")]
    private static partial Regex ActionLabel();

    [GeneratedRegex(@"\G(?<name>[A-Za-z_][\w.\-]*)[ \t]*\(", RegexOptions.ExplicitCapture)]
    private static partial Regex CallHead();

    [GeneratedRegex(@"\G\s*\)")]
    private static partial Regex ClosingParenthesis();

    [GeneratedRegex(@"(?m)^[ \t]*Action:[ \t]*[A-Za-z_][\w.\-]*[ \t]*\(")]
    private static partial Regex CallLine();
}
