using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentFlan.Conversations;
using AgentFlan.Readers.Text;

namespace AgentFlan.Readers.Formats;

/// <summary>
/// The Agent-FLAN release (JSON Lines): <c>{"id", "conversation": [{role, content, loss}]}</c>. Observations
/// arrive as user turns; an assistant turn in ReAct form (<c>Action:</c> / <c>Action Input:</c>) becomes a
/// structured call with its thought, and the user turn after it the call's result. The split named in the
/// file name sets the kind (react, negative, instruct j1s1 → format following, others → agent chat);
/// format-following samples keep their assistant text verbatim.
/// </summary>
internal static partial class AgentFlanMapper
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Conversation Map(JsonElement record, RecordContext context)
    {
        var builder = new ConversationBuilder();
        var kind = KindOf(context.Where.File);
        var index = 0;
        foreach (var turn in JsonFields.RequiredArray(record, "conversation").EnumerateArray())
        {
            var role = JsonFields.String(turn, "role");
            var content = JsonFields.String(turn, "content") ?? throw JsonFields.Shape($"turn {index} has no 'content'");
            var loss = JsonFields.Loss(turn);
            switch (role)
            {
                case "system":
                    builder.Add(Message.System(content) with { Loss = loss ?? false });
                    break;
                case "user" when builder.HasPendingCall:
                    builder.AddToolResult(ObservationLabel().Replace(content, string.Empty, 1));
                    break;
                case "user":
                    builder.Add(Message.User(content) with { Loss = loss ?? false });
                    break;
                case "assistant":
                    builder.Add(Assistant(content, kind, builder, context) with { Loss = loss ?? true });
                    break;
                default:
                    throw new RecordRejectedException(ReaderCodes.UnknownRole, $"turn {index} has role '{role}'");
            }

            index++;
        }

        return builder.Build(JsonFields.String(record, "id") ?? context.FallbackId, context.Where, kind);
    }

    private static Message Assistant(string content, ConversationKind kind, ConversationBuilder builder, RecordContext context)
    {
        // Format-following samples teach the exact output text (ReAct or JSON): keep it verbatim.
        if (kind == ConversationKind.FormatFollowing || ReActStep.TryParse(content) is not { } step)
        {
            return Message.Assistant(content);
        }

        var arguments = ActionInputs.Parse(step.Input, step.Action, context, wrapText: true);
        return Message.Assistant(string.Empty) with
        {
            Thought = step.Thought,
            ToolCalls = [builder.Call(step.Action, arguments)],
        };
    }

    internal static ConversationKind KindOf(string? file)
    {
        var name = Path.GetFileName(file ?? string.Empty).ToLowerInvariant();
        return name.Contains("negative", StringComparison.Ordinal) ? ConversationKind.Negative
            : name.Contains("react", StringComparison.Ordinal) ? ConversationKind.AgentReact
            : name.Contains("j1s1", StringComparison.Ordinal) ? ConversationKind.FormatFollowing
            : ConversationKind.AgentChat;
    }

    [GeneratedRegex(@"\A\s*Observation:[ \t]*(?:\r?\n)?")]
    private static partial Regex ObservationLabel();
}
