using System.Runtime.CompilerServices;
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        var systemText = SystemText(system, listInSystem ? conversation.Tools : null, form);

        string? pendingSystem = null;
        var afterSystem = false;
        if (systemText is not null && m.SystemInFirstUser && messages.Skip(first).Any(x => x.Role == Role.User))
        {
            pendingSystem = string.Concat(systemText);
        }
        else if (systemText is not null)
        {
            s.Add(m.SystemBegin, supervised: false);
            s.AddRange(systemText, supervised: false);
            s.Add(m.SystemEnd, supervised: false);
            afterSystem = true;
        }

        if (conversation.Tools.Count > 0 && native && Tools.ListPlacement == ToolListPlacement.OwnTurn)
        {
            s.AddRange(ToolList(conversation.Tools, form), supervised: false);
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
                    s.Add(m.SystemBegin, supervised: false);
                    s.Add(message.Content, supervised: false);
                    s.Add(m.SystemEnd, supervised: false);
                    break;
                case Role.User:
                    s.Add(afterSystem && m.UserBeginAfterSystem is not null ? m.UserBeginAfterSystem : m.UserBegin, supervised: false);
                    if (pendingSystem is not null)
                    {
                        s.Add(pendingSystem, supervised: false);
                        s.Add("\n\n", supervised: false);
                        pendingSystem = null;
                    }

                    s.Add(message.Content, supervised: false);
                    s.Add(m.UserEnd, supervised: false);
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

        return s.Complete();
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

    /// <summary>The pieces of the tool list; the specs' text is rendered once per spec (<see cref="ToolSpecText"/>).</summary>
    private List<string> ToolList(IReadOnlyList<ToolSpec> tools, RenderForm form)
    {
        var pieces = new List<string>((2 * tools.Count) + 2);
        if (form != RenderForm.Chat)
        {
            pieces.Add("You can use these tools:\n");
            foreach (var tool in tools)
            {
                pieces.Add(ToolSpecText.Compact(tool));
                pieces.Add("\n");
            }

            pieces.Add(form == RenderForm.React
                ? "To use a tool, answer with a Thought line, an Action line naming the tool and an Action Input line with JSON arguments; end with a Final Answer line."
                : "To use a tool, answer with one JSON object per step holding \"thought\", \"name\" and \"arguments\"; end with {\"final_answer\": …}.");
            return pieces;
        }

        pieces.Add(Tools.ListBegin);
        pieces.Add(Tools.ListAsArray ? "[" : string.Empty);
        for (int i = 0; i < tools.Count; i++)
        {
            pieces.Add(i == 0 ? string.Empty : Tools.ListAsArray ? ", " : "\n");
            pieces.Add(ToolSpecText.Spaced(tools[i], Tools.FunctionWrapper));
        }

        pieces.Add(Tools.ListAsArray ? "]" : string.Empty);
        pieces.Add(Tools.ListEnd);
        return pieces;
    }

    /// <summary>The pieces of the system text: the system prompt, the tool list, or both with a blank line between; null for neither.</summary>
    private List<string>? SystemText(string? system, IReadOnlyList<ToolSpec>? tools, RenderForm form)
    {
        if (tools is null)
        {
            return system is null ? null : [system];
        }

        var pieces = ToolList(tools, form);
        if (system is not null)
        {
            pieces.InsertRange(0, [system, "\n\n"]);
        }

        return pieces;
    }
}
