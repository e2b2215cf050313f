namespace AgentFlan.Templates;

/// <summary>
/// The literal strings that open and close each role's turn in a chat template, plus the few layout rules
/// that differ between families. Everything a family needs is data: there is no class per family.
/// </summary>
public sealed record RoleMarkers(
    string SystemBegin,
    string SystemEnd,
    string UserBegin,
    string UserEnd,
    string AssistantBegin,
    string AssistantEnd,
    string ToolBegin,
    string ToolEnd,
    string Prefix = "")
{
    /// <summary>
    /// Opens the user turn that directly follows the system block, instead of <see cref="UserBegin"/>
    /// (Llama 2 folds the system block into its first <c>[INST]</c>).
    /// </summary>
    public string? UserBeginAfterSystem { get; init; }

    /// <summary>The system text is written at the start of the first user turn, not as a turn of its own (Mistral).</summary>
    public bool SystemInFirstUser { get; init; }

    /// <summary>System text used when a conversation has none (Qwen 2.5 always has one).</summary>
    public string? DefaultSystem { get; init; }
}
