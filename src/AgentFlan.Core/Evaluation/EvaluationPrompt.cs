using System.Text;
using AgentFlan.Recipes;
using AgentFlan.Templates;

namespace AgentFlan.Evaluation;

/// <summary>
/// The text a model is given for a case: the prompt conversation rendered by the recipe's template in the case's
/// form (the natural-chat form unless the user asked for ReAct or JSON), followed by the assistant turn's opening
/// marker. Generation stops at <see cref="EndOfTurn"/>.
/// </summary>
public static class EvaluationPrompt
{
    public static string Render(ChatTemplate template, EvaluationCase c)
    {
        var text = new StringBuilder();
        foreach (var segment in template.Render(c.Prompt, new MaskingSettings(), c.Form))
        {
            text.Append(segment.Text);
        }

        return text.Append(template.Markers.AssistantBegin).ToString();
    }

    /// <summary>The assistant end marker without trailing whitespace (what a finished answer ends with).</summary>
    public static string EndOfTurn(ChatTemplate template)
    {
        var marker = template.Markers.AssistantEnd.TrimEnd();
        return marker.Length > 0 ? marker : template.Markers.AssistantEnd;
    }

    /// <summary>The answer without its end marker, where generation reached it.</summary>
    public static (string Text, bool Finished) Cut(string generated, ChatTemplate template)
    {
        var marker = EndOfTurn(template);
        if (marker.Length == 0)
        {
            return (generated, false);
        }

        int at = generated.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? (generated, false) : (generated[..at], true);
    }
}
