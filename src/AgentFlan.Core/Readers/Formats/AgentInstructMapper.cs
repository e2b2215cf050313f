using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentFlan.Conversations;

namespace AgentFlan.Readers.Formats;

/// <summary>
/// AgentInstruct (<c>{"id": "os_1", "conversations": [{from, loss, value}]}</c>). A JSON tool list in the first
/// human turn makes the row a general tool-use task (<see cref="AgentInstructGeneral"/>); otherwise the task
/// comes from the id prefix (or, without one, from the first action syntax found), and a row with no action
/// at all is plain chat. Assistant turns become calls to the task's tools (<see cref="AgentInstructTools"/>);
/// the human turn after a non-terminal call becomes its result,
/// without the "The output of the OS:" or "Observation:" label. Loss flags pass through: the one-shot
/// demonstration that opens every row has loss false and stays in, unsupervised.
/// </summary>
internal static partial class AgentInstructMapper
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Conversation Map(JsonElement record, RecordContext context)
    {
        var id = JsonFields.String(record, "id");
        var turns = JsonFields.RequiredArray(record, "conversations");
        var declared = AgentInstructGeneral.Declared(FirstHuman(turns));
        var task = declared is null ? TaskOf(id, turns) : AgentInstructTask.General;
        var builder = new ConversationBuilder();
        builder.Tools.AddRange(task == AgentInstructTask.General ? declared?.Tools ?? [] : AgentInstructTools.For(task));
        var first = true;

        var index = 0;
        foreach (var turn in turns.EnumerateArray())
        {
            var value = JsonFields.String(turn, "value") ?? throw JsonFields.Shape($"turn {index} has no 'value'");
            switch (JsonFields.String(turn, "from"))
            {
                case "human" or "user" when builder.HasPendingCall:
                    builder.AddToolResult(ObservationLabel().Replace(value, string.Empty, 1));
                    first = false;
                    break;
                case "human" or "user":
                    builder.Add(Message.User(first && declared is { } general ? general.Query : value));
                    first = false;
                    break;
                case "gpt" or "assistant":
                    var message = Assistant(task, value, index, builder) with { Loss = JsonFields.Loss(turn) ?? true };
                    builder.Add(message);
                    if (IsTerminal(task, message))
                    {
                        builder.ClearPending();
                    }

                    break;
                case var from:
                    throw new RecordRejectedException(ReaderCodes.UnknownRole, $"turn {index} is from '{from}'");
            }

            index++;
        }

        return builder.Build(id ?? context.FallbackId, context.Where);
    }

    private static Message Assistant(AgentInstructTask task, string value, int index, ConversationBuilder builder)
    {
        List<AgentInstructAction> actions;
        try
        {
            actions = task == AgentInstructTask.General
                ? AgentInstructGeneral.Parse(value)
                : AgentInstructActions.Parse(task, value) is { } action ? [action] : [];
        }
        catch (RecordRejectedException e)
        {
            throw new RecordRejectedException(e.Code, $"turn {index}: {e.Message}");
        }

        if (actions.Count == 0)
        {
            return Message.Assistant(value);
        }

        if (task == AgentInstructTask.General && actions.Find(a => !builder.Tools.Exists(t => t.Name == a.Tool)) is { } undeclared)
        {
            throw new RecordRejectedException(
                ReaderCodes.UndeclaredTool,
                builder.Tools.Count == 0
                    ? $"turn {index} calls '{undeclared.Tool}', but the first human turn declares no tools"
                    : $"turn {index} calls '{undeclared.Tool}', which the first human turn does not declare");
        }

        var thoughts = actions.Select(a => a.Thought).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return Message.Assistant(string.Empty) with
        {
            Thought = thoughts.Count == 0 ? null : string.Join("\n", thoughts),
            ToolCalls = [.. actions.Select(a => builder.Call(a.Tool, a.Arguments))],
        };
    }

    /// <summary>After a terminal call the next human turn is a new request, so no result is pending.</summary>
    private static bool IsTerminal(AgentInstructTask task, Message message) =>
        message.ToolCalls.Count > 0 && AgentInstructTools.IsTerminal(task, message.ToolCalls[0].Name);

    private static AgentInstructTask TaskOf(string? id, JsonElement turns)
    {
        var prefix = id is null ? null : IdPrefix().Match(id) is { Success: true } match ? match.Groups["task"].Value.ToLowerInvariant() : null;
        AgentInstructTask? task = prefix switch
        {
            "os" => AgentInstructTask.OperatingSystem,
            "db" => AgentInstructTask.Database,
            "kg" => AgentInstructTask.KnowledgeGraph,
            "webshop" => AgentInstructTask.WebShop,
            "alfworld" => AgentInstructTask.AlfWorld,
            "mind2web" => AgentInstructTask.Mind2Web,
            _ => null,
        };
        if ((task ?? Sniff(turns)) is { } known)
        {
            return known;
        }

        // No task syntax: function calls (on tools the record fails to declare) or no action at all (plain chat).
        foreach (var value in AssistantTexts(turns))
        {
            if (AgentInstructGeneral.LooksLikeCall(value))
            {
                return AgentInstructTask.General;
            }

            if (AnyActionLine().Match(value) is { Success: true } line)
            {
                throw new RecordRejectedException(
                    ReaderCodes.UnknownTask,
                    $"the task cannot be told from id '{id}' or from the turns: '{line.Value.Trim()}' is in no known task's syntax and no tools are declared");
            }
        }

        return AgentInstructTask.General;
    }

    private static string? FirstHuman(JsonElement turns)
    {
        foreach (var turn in turns.EnumerateArray())
        {
            if (JsonFields.String(turn, "from") is "human" or "user")
            {
                return JsonFields.String(turn, "value");
            }
        }

        return null;
    }

    private static IEnumerable<string> AssistantTexts(JsonElement turns)
    {
        foreach (var turn in turns.EnumerateArray())
        {
            if (JsonFields.String(turn, "from") is "gpt" or "assistant" && JsonFields.String(turn, "value") is { } value)
            {
                yield return value;
            }
        }
    }

    /// <summary>Without a task prefix on the id: the first assistant turn whose syntax is unmistakable.</summary>
    private static AgentInstructTask? Sniff(JsonElement turns)
    {
        foreach (var value in AssistantTexts(turns))
        {
            AgentInstructTask? task =
                SniffOs().IsMatch(value) ? AgentInstructTask.OperatingSystem
                : SniffDb().IsMatch(value) ? AgentInstructTask.Database
                : SniffWebShop().IsMatch(value) ? AgentInstructTask.WebShop
                : SniffKg().IsMatch(value) ? AgentInstructTask.KnowledgeGraph
                : SniffMind2Web().IsMatch(value) ? AgentInstructTask.Mind2Web
                : SniffAlfWorld().IsMatch(value) ? AgentInstructTask.AlfWorld
                : null;
            if (task is not null)
            {
                return task;
            }
        }

        return null;
    }

    [GeneratedRegex(@"\A(?<task>os|db|kg|webshop|alfworld|mind2web)(?:[_\-.]|\z)", RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture)]
    private static partial Regex IdPrefix();

    [GeneratedRegex(@"\A\s*(?:The output of the OS:|Observation:)[ \t]*(?:\r?\n)?")]
    private static partial Regex ObservationLabel();

    [GeneratedRegex(@"(?m)^[ \t]*Act:[ \t]*(?:bash|answer\(|finish)")]
    private static partial Regex SniffOs();

    [GeneratedRegex(@"(?m)^[ \t]*Action:[ \t]*(?:Operation|Answer)\b")]
    private static partial Regex SniffDb();

    [GeneratedRegex(@"(?m)^[ \t]*Action:\s*(?:search|click)\[")]
    private static partial Regex SniffWebShop();

    [GeneratedRegex(@"(?m)^[ \t]*Action:[ \t]*(?:get_relations|get_neighbors|intersection|get_attributes|argmax|argmin|count)\(")]
    private static partial Regex SniffKg();

    [GeneratedRegex(@"(?m)^[ \t]*Answer:[ \t]*[A-Z]\.?[ \t]*$")]
    private static partial Regex SniffMind2Web();

    [GeneratedRegex(@"(?m)^[ \t]*ACTION:")]
    private static partial Regex SniffAlfWorld();

    [GeneratedRegex(@"(?im)^[ \t]*(?:Act|Action)[ \t]*:[^\r\n]*")]
    private static partial Regex AnyActionLine();
}
