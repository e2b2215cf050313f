namespace AgentFlan.Shards;

/// <summary>
/// One document (sample) inside a packed row: its first token's offset within the row and its length.
/// Attention and positions restart at <see cref="Start"/>; tokens covered by no document are padding.
/// </summary>
public readonly record struct ShardDocument(int Row, int Start, int Length, int Kind);
