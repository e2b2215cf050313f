using AgentFlan.Conversations;

namespace AgentFlan.Templates;

/// <summary>
/// Writes the body of one assistant turn in a given form, each piece labelled with the one capability it
/// exercises: the thought is reasoning, the tool's name is retrieval, the arguments are understanding, and the
/// format's scaffolding (keywords, braces, tags) is instruction following. Text answers take
/// <paramref name="textCapability"/>. Pieces split before a space, where BPE tokenizers split anyway.
/// </summary>
internal static class AssistantRenderer
{
    private const Capability R = Capability.Reasoning;
    private const Capability Ret = Capability.Retrieval;
    private const Capability U = Capability.Understanding;
    private const Capability If = Capability.InstructionFollowing;

    public static void Render(Message message, RenderForm form, ToolSyntax syntax, bool loss, bool finalAnswerLabel, Capability textCapability, SegmentList segments)
    {
        switch (form)
        {
            case RenderForm.React:
                React(message, loss, finalAnswerLabel, textCapability, segments);
                break;
            case RenderForm.Json:
                Json(message, loss, textCapability, segments);
                break;
            default:
                Chat(message, syntax, loss, textCapability, segments);
                break;
        }
    }

    private static void React(Message message, bool loss, bool finalAnswerLabel, Capability textCapability, SegmentList s)
    {
        var separator = string.Empty;
        if (!string.IsNullOrEmpty(message.Thought))
        {
            s.Add("Thought:", loss, If);
            s.Add(" " + message.Thought, loss, R);
            separator = "\n";
        }

        foreach (var call in message.ToolCalls)
        {
            s.Add(separator + "Action:", loss, If);
            s.Add(" " + call.Name, loss, Ret);
            s.Add("\nAction Input:", loss, If);
            s.Add(" " + JsonText.Compact(call.Arguments), loss, U);
            separator = "\n";
        }

        if (message.Content.Length > 0)
        {
            if (finalAnswerLabel && message.ToolCalls.Count == 0)
            {
                s.Add(separator + "Final Answer:", loss, If);
                s.Add(" " + message.Content, loss, textCapability);
            }
            else
            {
                s.Add(separator, loss, If);
                s.Add(message.Content, loss, textCapability);
            }
        }
    }

    private static void Json(Message message, bool loss, Capability textCapability, SegmentList s)
    {
        var thought = message.Thought;
        var separator = string.Empty;
        foreach (var call in message.ToolCalls)
        {
            var open = separator + "{";
            if (!string.IsNullOrEmpty(thought))
            {
                s.Add(open + "\"thought\":", loss, If);
                s.Add(" " + JsonText.String(thought), loss, R);
                open = ", ";
                thought = null;
            }

            s.Add(open + "\"name\":", loss, If);
            s.Add(" " + JsonText.String(call.Name), loss, Ret);
            s.Add(", \"arguments\":", loss, If);
            s.Add(" " + JsonText.Spaced(call.Arguments), loss, U);
            s.Add("}", loss, If);
            separator = "\n";
        }

        if (message.Content.Length > 0 || (!string.IsNullOrEmpty(thought) && message.ToolCalls.Count == 0))
        {
            var open = separator + "{";
            if (!string.IsNullOrEmpty(thought))
            {
                s.Add(open + "\"thought\":", loss, If);
                s.Add(" " + JsonText.String(thought), loss, R);
                open = ", ";
            }

            s.Add(open + "\"final_answer\":", loss, If);
            s.Add(" " + JsonText.String(message.Content), loss, textCapability);
            s.Add("}", loss, If);
        }
    }

    private static void Chat(Message message, ToolSyntax syntax, bool loss, Capability textCapability, SegmentList s)
    {
        var prose = false;
        if (!string.IsNullOrEmpty(message.Thought))
        {
            s.Add(message.Thought, loss, R);
            prose = true;
        }

        if (message.Content.Length > 0)
        {
            s.Add(prose ? "\n" : string.Empty, loss, If);
            s.Add(message.Content, loss, textCapability);
            prose = true;
        }

        if (message.ToolCalls.Count == 0)
        {
            return;
        }

        s.Add((prose ? syntax.ProseSeparator : string.Empty) + syntax.CallsBegin, loss, If);
        for (int i = 0; i < message.ToolCalls.Count; i++)
        {
            var call = message.ToolCalls[i];
            var lead = i == 0 ? string.Empty : syntax.CallsSeparator;
            if (syntax.CallStyle == ToolCallStyle.Prose)
            {
                ProseCall(call, lead, loss, s);
                continue;
            }

            s.Add(lead + syntax.CallBegin + "{" + JsonText.String(syntax.NameKey) + ":", loss, If);
            s.Add(" " + JsonText.String(call.Name), loss, Ret);
            s.Add(", " + JsonText.String(syntax.ArgumentsKey) + ":", loss, If);
            s.Add(" " + JsonText.Spaced(call.Arguments), loss, U);
            s.Add("}" + syntax.CallEnd, loss, If);
        }

        s.Add(syntax.CallsEnd, loss, If);
    }

    /// <summary><c>I'll use get_weather with city = "Lisbon", days = 3.</c> (values as JSON, so the call can be parsed back).</summary>
    private static void ProseCall(ToolCall call, string lead, bool loss, SegmentList s)
    {
        s.Add(lead + "I'll use", loss, If);
        s.Add(" " + call.Name, loss, Ret);
        if (call.Arguments.Count > 0)
        {
            s.Add(" with", loss, If);
            s.Add(" " + string.Join(", ", call.Arguments.Select(a => a.Key + " = " + JsonText.Spaced(a.Value))), loss, U);
        }

        s.Add(".", loss, If);
    }
}
