namespace AgentFlan.Readers;

/// <summary>A defect fixed while reading: a code from <see cref="ReaderCodes"/> and what was done.</summary>
public sealed record Repair(string Code, string Description);
