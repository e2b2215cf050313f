using System.Text;
using System.Text.Json.Nodes;
using AgentFlan.Conversations;
using AgentFlan.Recipes;

namespace AgentFlan.Templates;

/// <summary>
/// Renders a canonical conversation as segments. One mechanism for every family: a family is its
/// <see cref="RoleMarkers"/> (turn markers and layout) plus its <see cref="ToolSyntax"/> (tool list, calls and
/// results in the natural-chat form). Role headers and non-assistant turns are never supervised; an assistant
/// turn's body and its end marker are supervised when the message's Loss flag is set and the masking policy
/// selects the turn. Every supervised piece of an agent sample carries exactly one capability
/// (<see cref="AssistantRenderer"/>); plain answers in general and negative samples carry
/// <see cref="Capability.None"/>, which capability weights never touch.
/// </summary>
public sealed class ChatTemplate
{
    public ChatTemplate(string name, RoleMarkers markers, ToolSyntax? tools = null)
    {
        Name = name;
        Markers = markers;
        Tools = tools ?? new ToolSyntax();
    }

    public string Name { get; }

    public RoleMarkers Markers { get; }

    public ToolSyntax Tools { get; }

    /// <summary>
    /// Markers written like special tokens (<c>&lt;|im_start|&gt;</c>, <c>&lt;|eot_id|&gt;</c>): a model tokenizer file used with this
    /// template must define each as one special token. The paper's <c>agentflan</c> markers are literal text by design.
    /// </summary>
    public IReadOnlyList<string> SpecialTokens =>
        Name == "agentflan"
            ? []
            : [.. System.Text.RegularExpressions.Regex.Matches(
                    string.Concat(Markers.Prefix, Markers.SystemBegin, Markers.SystemEnd, Markers.UserBegin, Markers.UserEnd, Markers.AssistantBegin, Markers.AssistantEnd, Markers.ToolBegin, Markers.ToolEnd, Markers.UserBeginAfterSystem),
                    @"<\|[a-z_]+\|>")
                .Select(m => m.Value)
                .Distinct(StringComparer.Ordinal)];

    public IReadOnlyList<TemplateSegment> Render(Conversation conversation) => Render(conversation, new MaskingSettings());

    public IReadOnlyList<TemplateSegment> Render(Conversation conversation, MaskingSettings masking) =>
        Render(conversation, masking, RenderForms.Default(conversation.Kind));

    public IReadOnlyList<TemplateSegment> Render(Conversation conversation, MaskingSettings masking, RenderForm form)
    {
        var m = Markers;
        var s = new SegmentList();
        s.Add(m.Prefix, supervised: false);

        var messages = conversation.Messages;
        int first = messages.Count > 0 && messages[0].Role == Role.System ? 1 : 0;
        var system = first == 1 ? messages[0].Content : m.DefaultSystem;
        var native = form == RenderForm.Chat;
        var listInSystem = conversation.Tools.Count > 0 && (!native || Tools.ListPlacement == ToolListPlacement.System);
        var systemText = Join(system, listInSystem ? ToolList(conversation.Tools, form) : null);

        string? pendingSystem = null;
        var afterSystem = false;
        if (systemText is not null && m.SystemInFirstUser && messages.Skip(first).Any(x => x.Role == Role.User))
        {
            pendingSystem = systemText;
        }
        else if (systemText is not null)
        {
            s.Add(m.SystemBegin + systemText + m.SystemEnd, supervised: false);
            afterSystem = true;
        }

        if (conversation.Tools.Count > 0 && native && Tools.ListPlacement == ToolListPlacement.OwnTurn)
        {
            s.Add(ToolList(conversation.Tools, form), supervised: false);
        }

        int lastAssistant = -1;
        for (int i = 0; i < messages.Count; i++)
        {
            lastAssistant = messages[i].Role == Role.Assistant ? i : lastAssistant;
        }

        var textCapability = TextCapability(conversation);
        var finalAnswerLabel = messages.Any(x => x.ToolCalls.Count > 0);
        for (int i = first; i < messages.Count; i++)
        {
            var message = messages[i];
            switch (message.Role)
            {
                case Role.System:
                    s.Add(m.SystemBegin + message.Content + m.SystemEnd, supervised: false);
                    break;
                case Role.User:
                    var begin = afterSystem && m.UserBeginAfterSystem is not null ? m.UserBeginAfterSystem : m.UserBegin;
                    var content = pendingSystem is null ? message.Content : pendingSystem + "\n\n" + message.Content;
                    pendingSystem = null;
                    s.Add(begin + content + m.UserEnd, supervised: false);
                    break;
                case Role.Tool:
                    s.Add(ToolTurn(messages, i, native), supervised: false);
                    break;
                case Role.Assistant:
                    var loss = message.Loss && (masking.Policy == MaskingPolicy.AllAssistant || i == lastAssistant);
                    s.Add(m.AssistantBegin, supervised: false);
                    AssistantRenderer.Render(message, form, Tools, loss, finalAnswerLabel, textCapability, s);
                    s.Add(m.AssistantEnd, loss && masking.EndOfTurn, textCapability == Capability.None ? Capability.None : Capability.InstructionFollowing);
                    break;
            }

            afterSystem = false;
        }

        return s.Segments;
    }

    /// <summary>
    /// What a text answer teaches: in agent samples the conclusion drawn from the steps (reasoning), in
    /// format-following samples without calls (verbatim format text) the format itself, elsewhere nothing the
    /// decomposition weighs.
    /// </summary>
    internal static Capability TextCapability(Conversation conversation) => conversation.Kind switch
    {
        ConversationKind.FormatFollowing when !conversation.Messages.Any(x => x.ToolCalls.Count > 0) => Capability.InstructionFollowing,
        ConversationKind.AgentChat or ConversationKind.AgentReact or ConversationKind.FormatFollowing => Capability.Reasoning,
        _ => Capability.None,
    };

    private string ToolTurn(IReadOnlyList<Message> messages, int i, bool native)
    {
        var message = messages[i];
        if (!native)
        {
            return Markers.ToolBegin + "Observation: " + message.Content + Markers.ToolEnd;
        }

        var merge = Tools.MergeResults;
        var opens = !merge || i == 0 || messages[i - 1].Role != Role.Tool;
        var closes = !merge || i + 1 >= messages.Count || messages[i + 1].Role != Role.Tool;
        var result = Tools.ResultBegin.Replace("{name}", message.Name ?? "the tool", StringComparison.Ordinal)
            + (Tools.ResultAsJson ? JsonText.Value(message.Content) : message.Content)
            + Tools.ResultEnd;
        return (opens ? Markers.ToolBegin : Tools.ResultSeparator) + result + (closes ? Markers.ToolEnd : string.Empty);
    }

    private string ToolList(IReadOnlyList<ToolSpec> tools, RenderForm form)
    {
        if (form != RenderForm.Chat)
        {
            var text = new StringBuilder("You can use these tools:\n");
            foreach (var tool in tools)
            {
                text.Append(JsonText.Compact(Spec(tool, wrap: false))).Append('\n');
            }

            text.Append(form == RenderForm.React
                ? "To use a tool, answer with a Thought line, an Action line naming the tool and an Action Input line with JSON arguments; end with a Final Answer line."
                : "To use a tool, answer with one JSON object per step holding \"thought\", \"name\" and \"arguments\"; end with {\"final_answer\": …}.");
            return text.ToString();
        }

        var specs = tools.Select(t => JsonText.Spaced(Spec(t, Tools.FunctionWrapper))).ToList();
        var list = Tools.ListAsArray ? "[" + string.Join(", ", specs) + "]" : string.Join("\n", specs);
        return Tools.ListBegin + list + Tools.ListEnd;
    }

    private static JsonObject Spec(ToolSpec tool, bool wrap)
    {
        var spec = new JsonObject
        {
            ["name"] = tool.Name,
            ["description"] = tool.Description,
            ["parameters"] = tool.Parameters.DeepClone(),
        };
        return wrap ? new JsonObject { ["type"] = "function", ["function"] = spec } : spec;
    }

    private static string? Join(string? system, string? tools) => (system, tools) switch
    {
        (null, null) => null,
        (not null, null) => system,
        (null, not null) => tools,
        _ => system + "\n\n" + tools,
    };
}
