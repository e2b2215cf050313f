using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentFlan.Readers.Text;

namespace AgentFlan.Readers.Formats;

/// <summary>
/// Reads each AgentInstruct task's action syntax into a call. A turn that announces no action (an "OK."
/// or plain prose) is null; a turn that announces one that cannot be read is rejected with its syntax.
/// </summary>
internal static partial class AgentInstructActions
{
    public static AgentInstructAction? Parse(AgentInstructTask task, string text) => task switch
    {
        AgentInstructTask.OperatingSystem => OperatingSystem(text),
        AgentInstructTask.Database => Database(text),
        AgentInstructTask.KnowledgeGraph => KnowledgeGraph(text),
        AgentInstructTask.WebShop => WebShop(text),
        AgentInstructTask.AlfWorld => AlfWorld(text),
        _ => Mind2Web(text),
    };

    // OS: "Think: …\n\nAct: bash\n\n```bash\n…\n```", "Act: answer(…)", "Act: finish".
    private static AgentInstructAction? OperatingSystem(string text)
    {
        var match = OsStep().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var thought = Thought(match);
        var act = match.Groups["act"].Value.Trim();
        if (act.StartsWith("bash", StringComparison.Ordinal) && CodeBlock().Match(act) is { Success: true } code)
        {
            return new(thought, "bash", new JsonObject { ["script"] = code.Groups["code"].Value.Trim('\n', '\r') });
        }

        if (OsAnswer().Match(act) is { Success: true } answer)
        {
            return new(thought, "answer", new JsonObject { ["answer"] = answer.Groups["answer"].Value });
        }

        return act.Equals("finish", StringComparison.OrdinalIgnoreCase)
            ? new(thought, "finish", [])
            : throw Unparsed("OS", "Act: bash with a ```bash block```, Act: answer(…) or Act: finish", act);
    }

    // DB: "…\nAction: Operation\n```sql\n…\n```" or "…\nAction: Answer\nFinal Answer: [\"…\"]".
    private static AgentInstructAction? Database(string text)
    {
        var match = DbStep().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var thought = Thought(match);
        var rest = match.Groups["rest"].Value;
        if (match.Groups["kind"].Value.Equals("Operation", StringComparison.OrdinalIgnoreCase))
        {
            return CodeBlock().Match(rest) is { Success: true } sql
                ? new(thought, "execute_sql", new JsonObject { ["query"] = sql.Groups["code"].Value.Trim() })
                : throw Unparsed("DB", "Action: Operation followed by a ```sql block```", rest);
        }

        return FinalAnswer().Match(rest) is { Success: true } answer
            ? new(thought, "answer", new JsonObject { ["answer"] = AnswerValue(answer.Groups["answer"].Value.Trim()) })
            : throw Unparsed("DB", "Action: Answer followed by Final Answer: […]", rest);
    }

    // KG: "Thought: …\nAction: get_neighbors(#0, people.person.nationality)" or "Final Answer: #3".
    private static AgentInstructAction? KnowledgeGraph(string text)
    {
        if (KgAnswer().Match(text) is { Success: true } answer)
        {
            return new(Thought(answer), "answer", new JsonObject { ["answer"] = answer.Groups["answer"].Value.Trim() });
        }

        var match = ActionLine().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var action = match.Groups["action"].Value.Trim();
        var call = KgCall().Match(action);
        if (!call.Success)
        {
            throw Unparsed("KG", "Action: function(arguments)", action);
        }

        var function = call.Groups["function"].Value;
        var arguments = call.Groups["arguments"].Value.Trim();
        var names = function switch
        {
            "get_neighbors" => ["variable", "relation"],
            "argmax" or "argmin" => ["variable", "attribute"],
            "intersection" => new[] { "variable1", "variable2" },
            _ => ["variable"],
        };
        var values = new JsonObject();
        if (names.Length == 1)
        {
            values[names[0]] = arguments;
        }
        else
        {
            // Entity names may hold commas; relations, attributes and variables never do.
            var comma = function == "intersection" ? arguments.IndexOf(',', StringComparison.Ordinal) : arguments.LastIndexOf(',');
            if (comma < 0)
            {
                throw Unparsed("KG", $"{function}(a, b) with two arguments", action);
            }

            values[names[0]] = arguments[..comma].Trim();
            values[names[1]] = arguments[(comma + 1)..].Trim();
        }

        return new(Thought(match), function, values);
    }

    // WebShop: "Thought:\n…\n\nAction:\nsearch[…]" or "click[…]".
    private static AgentInstructAction? WebShop(string text)
    {
        var match = ActionLine().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var action = WebShopCall().Match(match.Groups["action"].Value.Trim());
        if (!action.Success)
        {
            throw Unparsed("WebShop", "search[…] or click[…]", match.Groups["action"].Value);
        }

        var verb = action.Groups["verb"].Value.ToLowerInvariant();
        var argument = action.Groups["argument"].Value;
        return new(Thought(match), verb, new JsonObject { [verb == "search" ? "query" : "target"] = argument });
    }

    // ALFWorld: "THOUGHT: …\n ACTION: go to cabinet 1".
    private static AgentInstructAction? AlfWorld(string text)
    {
        var match = ActionLine().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var command = match.Groups["action"].Value.Trim().TrimEnd('.');
        var parsed = AlfWorldCommand().Match(command);
        if (!parsed.Success)
        {
            throw Unparsed("ALFWorld", "an ALFWorld command (go to, take … from, put … in/on, open, close, toggle, clean/heat/cool … with, use, examine, inventory, look)", command);
        }

        var verb = parsed.Groups["verb"].Value.ToLowerInvariant().Replace(' ', '_');
        var arguments = new JsonObject();
        var first = parsed.Groups["first"].Value.Trim();
        var second = parsed.Groups["second"].Value.Trim();
        string[] names = verb switch
        {
            "go_to" or "open" or "close" => ["receptacle"],
            "toggle" or "examine" => ["target"],
            "use" => ["object"],
            "inventory" or "look" => [],
            _ => ["object", "receptacle"],
        };
        if (names.Length > 0)
        {
            arguments[names[0]] = first;
        }

        if (names.Length > 1)
        {
            arguments[names[1]] = second;
        }

        return new(Thought(match), verb, arguments);
    }

    // Mind2Web: "Thought: …\nAnswer: B.\nAction: TYPE\nValue: New York".
    private static AgentInstructAction? Mind2Web(string text)
    {
        var match = Mind2WebStep().Match(text);
        if (!match.Success)
        {
            return AnswerLabel().IsMatch(text) ? throw Unparsed("Mind2Web", "Answer: <letter>. then Action: and Value:", text) : null;
        }

        var operation = match.Groups["operation"].Success ? match.Groups["operation"].Value.ToUpperInvariant() : "CHOOSE";
        var tool = operation == "ENTER" ? "press_enter" : operation.ToLowerInvariant();
        var arguments = new JsonObject { ["element"] = match.Groups["element"].Value };
        if (match.Groups["value"].Success && tool is "type" or "select")
        {
            arguments["value"] = match.Groups["value"].Value.Trim();
        }

        return new(Thought(match), tool, arguments);
    }

    private static string? Thought(Match match)
    {
        var thought = ReActStep.StripThoughtLabel(match.Groups["thought"].Value);
        return thought.Length == 0 ? null : thought;
    }

    /// <summary>A DB answer list as JSON (or a Python literal); text when it is neither.</summary>
    private static JsonNode? AnswerValue(string text)
    {
        if (text.Length > 0 && text[0] is '[' or '{' or '"' && JsonFields.TryParseObject($"{{\"v\":{text}}}") is { } wrapped)
        {
            return wrapped["v"]!.DeepClone();
        }

        return PythonLiteral.TryParse(text, out var ok) is { } literal && ok && text.StartsWith('[') ? literal : text;
    }

    private static RecordRejectedException Unparsed(string task, string expected, string found) =>
        new(ReaderCodes.UnparsedAction, $"a {task} action is not {expected}: '{Cut(found)}'");

    private static string Cut(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");

    [GeneratedRegex(@"\A\s*(?:Think:)?(?<thought>.*?)(?:\A|\n)[ \t]*Act:[ \t]*(?<act>.*)\z", RegexOptions.Singleline | RegexOptions.ExplicitCapture)]
    private static partial Regex OsStep();

    [GeneratedRegex(@"```[A-Za-z]*[ \t]*\r?\n?(?<code>.*?)```", RegexOptions.Singleline | RegexOptions.ExplicitCapture)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"\Aanswer\((?<answer>.*)\)\s*\z", RegexOptions.Singleline | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase)]
    private static partial Regex OsAnswer();

    [GeneratedRegex(@"\A(?<thought>.*?)(?:\A|\n)[ \t]*Action:[ \t]*(?<kind>Operation|Answer)\b(?<rest>.*)\z", RegexOptions.Singleline | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase)]
    private static partial Regex DbStep();

    [GeneratedRegex(@"Final Answer:\s*(?<answer>.*)\z", RegexOptions.Singleline | RegexOptions.ExplicitCapture)]
    private static partial Regex FinalAnswer();

    [GeneratedRegex(@"\A(?<thought>.*?)(?:\A|\n)[ \t]*Final Answer:[ \t]*(?<answer>[^\r\n]*)\s*\z", RegexOptions.Singleline | RegexOptions.ExplicitCapture)]
    private static partial Regex KgAnswer();

    [GeneratedRegex(@"\A(?<thought>.*?)(?:\A|\n)[ \t]*Action:\s*(?<action>.*?)\s*\z", RegexOptions.Singleline | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase)]
    private static partial Regex ActionLine();

    [GeneratedRegex(@"\A(?<function>get_relations|get_neighbors|intersection|get_attributes|argmax|argmin|count)\((?<arguments>.*)\)\z", RegexOptions.Singleline | RegexOptions.ExplicitCapture)]
    private static partial Regex KgCall();

    [GeneratedRegex(@"\A(?<verb>search|click)\[(?<argument>.*)\]\z", RegexOptions.Singleline | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase)]
    private static partial Regex WebShopCall();

    [GeneratedRegex(@"\A(?:(?<verb>go to|open|close|toggle|use|examine)\s+(?<first>.+)|(?<verb>take)\s+(?<first>.+?)\s+from\s+(?<second>.+)|(?<verb>put)\s+(?<first>.+?)\s+(?:in/on|in|on)\s+(?<second>.+)|(?<verb>clean|heat|cool)\s+(?<first>.+?)\s+with\s+(?<second>.+)|(?<verb>inventory|look))\z", RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase)]
    private static partial Regex AlfWorldCommand();

    [GeneratedRegex(@"\A(?<thought>.*?)(?:\A|\n)[ \t]*Answer:[ \t]*(?<element>[A-Z])\.?[ \t]*(?:\r?\n[ \t]*Action:[ \t]*(?<operation>CLICK|TYPE|SELECT|HOVER|ENTER)[ \t]*(?:\r?\n[ \t]*Value:[ \t]*(?<value>.*?))?)?\s*\z", RegexOptions.Singleline | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase)]
    private static partial Regex Mind2WebStep();

    [GeneratedRegex(@"(?:\A|\n)[ \t]*Answer:", RegexOptions.IgnoreCase)]
    private static partial Regex AnswerLabel();
}
