namespace AgentFlan.Conversations;

/// <summary>
/// Where a conversation came from: the recipe's source name, the file (relative to the recipe where
/// possible) and the 1-based line (JSON Lines) or 0-based array index (JSON arrays).
/// </summary>
public sealed record Provenance(string Source, string? File = null, int Line = 0, int Index = -1);
