namespace AgentFlan.Evaluation;

/// <summary>
/// The keyword lists of the Agent-H scores. <see cref="React"/> marks format-level hallucination (ReAct scaffolding
/// in an answer that should be plain text; matched case-sensitively, as the keywords are format tokens);
/// <see cref="General"/> marks action-level hallucination (announcing a tool use; matched ignoring case).
/// The paper names "Thought:", "Action:", "I will use" and "I need to call"; the defaults add the contracted and
/// near forms a model writes just as often, including this project's own prose-call opener "I'll use".
/// </summary>
public sealed record HallucinationKeywords(IReadOnlyList<string> React, IReadOnlyList<string> General)
{
    public static IReadOnlyList<string> DefaultReact { get; } = ["Thought:", "Action:", "Action Input:"];

    public static IReadOnlyList<string> DefaultGeneral { get; } =
        ["I will use", "I need to call", "I'll use", "I will call", "I'll call", "I need to use", "let me use", "let me call"];

    public static HallucinationKeywords Default { get; } = new(DefaultReact, DefaultGeneral);

    /// <summary>The paper's lists exactly.</summary>
    public static HallucinationKeywords Paper { get; } = new(["Thought:", "Action:"], ["I will use", "I need to call"]);

    public bool HasReact(string response) => React.Any(k => response.Contains(k, StringComparison.Ordinal));

    public bool HasGeneral(string response) => General.Any(k => response.Contains(k, StringComparison.OrdinalIgnoreCase));
}
