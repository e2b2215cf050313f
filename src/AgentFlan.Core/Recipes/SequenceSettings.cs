namespace AgentFlan.Recipes;

public enum OverLengthPolicy
{
    /// <summary>Keep the first L tokens.</summary>
    Truncate,

    /// <summary>Leave the sample out (counted in the manifest).</summary>
    Drop,

    /// <summary>Fail the compile with AFB2002 naming the sample.</summary>
    Error,
}

/// <summary>How samples become fixed-length rows.</summary>
public sealed record SequenceSettings
{
    public int Length { get; init; } = 256;

    /// <summary>Pack several samples into one row (attention still resets per sample).</summary>
    public bool Packing { get; init; } = true;

    public OverLengthPolicy OverLength { get; init; } = OverLengthPolicy.Truncate;

    /// <summary>Which end a truncated sample keeps: <c>right</c> keeps the start, <c>left</c> keeps the end.</summary>
    public string Truncation { get; init; } = "right";

    /// <summary>Allow a truncation cut inside a tool call (otherwise the cut moves before it, or the sample is dropped).</summary>
    public bool CutToolCalls { get; init; }
}
