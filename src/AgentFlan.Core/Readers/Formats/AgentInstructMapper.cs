using System.Text.Json;
using System.Text.RegularExpressions;
using AgentFlan.Conversations;

namespace AgentFlan.Readers.Formats;

/// <summary>
/// AgentInstruct (<c>{"id": "os_1", "conversations": [{from, loss, value}]}</c>). The task comes from the id
/// prefix (or, without one, from the first action syntax found). Assistant turns become calls to the task's
/// tools (<see cref="AgentInstructTools"/>); the human turn after a non-terminal call becomes its result,
/// without the "The output of the OS:" or "Observation:" label. Loss flags pass through: the one-shot
/// demonstration that opens every row has loss false and stays in, unsupervised.
/// </summary>
internal static partial class AgentInstructMapper
{
    public static Conversation Map(JsonElement record, RecordContext context)
    {
        var id = JsonFields.String(record, "id");
        var turns = JsonFields.RequiredArray(record, "conversations");
        var task = TaskOf(id, turns);
        var builder = new ConversationBuilder();
        builder.Tools.AddRange(AgentInstructTools.For(task));

        var index = 0;
        foreach (var turn in turns.EnumerateArray())
        {
            var value = JsonFields.String(turn, "value") ?? throw JsonFields.Shape($"turn {index} has no 'value'");
            switch (JsonFields.String(turn, "from"))
            {
                case "human" or "user" when builder.HasPendingCall:
                    builder.AddToolResult(ObservationLabel().Replace(value, string.Empty, 1));
                    break;
                case "human" or "user":
                    builder.Add(Message.User(value));
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
        AgentInstructAction? action;
        try
        {
            action = AgentInstructActions.Parse(task, value);
        }
        catch (RecordRejectedException e)
        {
            throw new RecordRejectedException(e.Code, $"turn {index}: {e.Message}");
        }

        if (action is null)
        {
            return Message.Assistant(value);
        }

        return Message.Assistant(string.Empty) with
        {
            Thought = action.Thought,
            ToolCalls = [builder.Call(action.Tool, action.Arguments)],
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
        return task ?? Sniff(turns)
            ?? throw new RecordRejectedException(ReaderCodes.UnknownTask, $"the task cannot be told from id '{id}' or from the turns");
    }

    /// <summary>Without a task prefix on the id: the first assistant turn whose syntax is unmistakable.</summary>
    private static AgentInstructTask? Sniff(JsonElement turns)
    {
        foreach (var turn in turns.EnumerateArray())
        {
            if (JsonFields.String(turn, "from") is not ("gpt" or "assistant") || JsonFields.String(turn, "value") is not { } value)
            {
                continue;
            }

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
}
