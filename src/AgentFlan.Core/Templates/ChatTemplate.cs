using System.Text;
using System.Text.Json;
using AgentFlan.Conversations;
using AgentFlan.Recipes;

namespace AgentFlan.Templates;

/// <summary>
/// Renders a canonical conversation as segments. One mechanism for every family: the family differs only
/// in its <see cref="RoleMarkers"/>. Role headers and non-assistant turns are never supervised; an
/// assistant turn's content and its end marker are supervised when the message's Loss flag is set and the
/// masking policy selects the turn.
/// Tool calls are rendered in ReAct form (Thought / Action / Action Input), each part labelled with the
/// capability it exercises (reasoning, retrieval, understanding).
/// </summary>
public sealed class ChatTemplate
{
    private static readonly JsonSerializerOptions CompactJson = new() { WriteIndented = false };

    public ChatTemplate(string name, RoleMarkers markers)
    {
        Name = name;
        Markers = markers;
    }

    public string Name { get; }

    public RoleMarkers Markers { get; }

    public IReadOnlyList<TemplateSegment> Render(Conversation conversation) => Render(conversation, new MaskingSettings());

    public IReadOnlyList<TemplateSegment> Render(Conversation conversation, MaskingSettings masking)
    {
        var segments = new List<TemplateSegment>();
        if (Markers.Prefix.Length > 0)
        {
            segments.Add(new TemplateSegment(Markers.Prefix, Supervised: false));
        }

        var messages = conversation.Messages;
        int first = 0;
        string? system = messages.Count > 0 && messages[0].Role == Role.System ? messages[0].Content : null;
        if (system is not null)
        {
            first = 1;
        }

        var toolBlock = conversation.Tools.Count > 0 ? RenderToolList(conversation.Tools) : null;
        var systemText = (system, toolBlock) switch
        {
            (null, null) => null,
            (not null, null) => system,
            (null, not null) => toolBlock,
            _ => system + "\n\n" + toolBlock,
        };
        if (systemText is not null)
        {
            segments.Add(new TemplateSegment(Markers.SystemBegin + systemText + Markers.SystemEnd, Supervised: false));
        }

        int lastAssistant = -1;
        for (int i = 0; i < messages.Count; i++)
        {
            lastAssistant = messages[i].Role == Role.Assistant ? i : lastAssistant;
        }

        for (int i = first; i < messages.Count; i++)
        {
            var message = messages[i];
            switch (message.Role)
            {
                case Role.System:
                    segments.Add(new TemplateSegment(Markers.SystemBegin + message.Content + Markers.SystemEnd, Supervised: false));
                    break;
                case Role.User:
                    segments.Add(new TemplateSegment(Markers.UserBegin + message.Content + Markers.UserEnd, Supervised: false));
                    break;
                case Role.Tool:
                    segments.Add(new TemplateSegment(Markers.ToolBegin + "Observation: " + message.Content + Markers.ToolEnd, Supervised: false));
                    break;
                case Role.Assistant:
                    var loss = message.Loss && (masking.Policy == MaskingPolicy.AllAssistant || i == lastAssistant);
                    RenderAssistant(message, loss, masking.EndOfTurn, segments);
                    break;
            }
        }

        return segments;
    }

    private void RenderAssistant(Message message, bool loss, bool endOfTurn, List<TemplateSegment> segments)
    {
        segments.Add(new TemplateSegment(Markers.AssistantBegin, Supervised: false));
        if (!string.IsNullOrEmpty(message.Thought))
        {
            segments.Add(new TemplateSegment($"Thought: {message.Thought}\n", loss, Capability.Reasoning));
        }

        foreach (var call in message.ToolCalls)
        {
            segments.Add(new TemplateSegment($"Action: {call.Name}\n", loss, Capability.Retrieval));
            segments.Add(new TemplateSegment($"Action Input: {call.Arguments.ToJsonString(CompactJson)}", loss, Capability.Understanding));
        }

        if (message.Content.Length > 0)
        {
            var separator = message.ToolCalls.Count > 0 ? "\n" : string.Empty;
            segments.Add(new TemplateSegment(separator + message.Content, loss, Capability.None));
        }

        segments.Add(new TemplateSegment(Markers.AssistantEnd, loss && endOfTurn, Capability.InstructionFollowing));
    }

    private static string RenderToolList(IReadOnlyList<ToolSpec> tools)
    {
        var text = new StringBuilder("You can use these tools:\n");
        foreach (var tool in tools)
        {
            var spec = new System.Text.Json.Nodes.JsonObject
            {
                ["name"] = tool.Name,
                ["description"] = tool.Description,
                ["parameters"] = tool.Parameters.DeepClone(),
            };
            text.Append(spec.ToJsonString(CompactJson)).Append('\n');
        }

        text.Append("To use a tool, answer with a Thought line, an Action line naming the tool and an Action Input line with JSON arguments.");
        return text.ToString();
    }
}
