namespace AgentFlan.Tokenization;

/// <summary>Over-length outcomes of one source, for the manifest.</summary>
public sealed record OverLengthCounts
{
    public long Truncated { get; init; }

    public long Dropped { get; init; }
}
