using System.Text.RegularExpressions;

namespace AgentFlan.Readers.Text;

/// <summary>
/// One ReAct assistant step: <c>Thought: …\nAction: name\nAction Input: …</c>. The thought is optional
/// (text before the action counts as the thought, with or without its label); so is the input.
/// </summary>
internal sealed partial record ReActStep(string? Thought, string Action, string? Input)
{
    /// <summary>Parses a step; null when the text has no <c>Action:</c> line (plain prose).</summary>
    public static ReActStep? TryParse(string text)
    {
        var match = StepPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var thought = match.Groups["thought"].Value.Trim();
        var input = match.Groups["input"];
        return new ReActStep(
            thought.Length == 0 ? null : thought,
            match.Groups["action"].Value.Trim(),
            input.Success ? input.Value.Trim() : null);
    }

    /// <summary>Strips a leading <c>Thought:</c> label (any case) from prose.</summary>
    public static string StripThoughtLabel(string text) => ThoughtLabel().Replace(text, string.Empty, 1).Trim();

    [GeneratedRegex(@"\A\s*(?:Thought:)?(?<thought>.*?)(?:\A|\n)[ \t]*Action:[ \t]*(?<action>[^\r\n]*)(?:\r?\n[ \t]*Action[ _]Input:(?<input>.*))?\z", RegexOptions.Singleline | RegexOptions.ExplicitCapture)]
    private static partial Regex StepPattern();

    [GeneratedRegex(@"\A\s*Thought:\s*", RegexOptions.IgnoreCase)]
    private static partial Regex ThoughtLabel();
}
