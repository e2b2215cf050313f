namespace AgentFlan.Shards;

/// <summary>One row of a shard: exactly L token ids, an aligned loss mask, and the documents it holds.</summary>
public sealed record PackedRow(int[] Tokens, byte[] Loss, IReadOnlyList<(int Start, int Length, int Kind)> Documents);
