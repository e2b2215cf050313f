namespace AgentFlan.Conversations;

/// <summary>
/// The Agent-FLAN capabilities one assistant step exercises (DESIGN.md §1).
/// <see cref="None"/> marks plain answers that are not part of an agent step.
/// </summary>
public enum Capability : byte
{
    None,
    Reasoning,
    Retrieval,
    Understanding,
    InstructionFollowing,
}
