using AgentFlan.Recipes;

namespace AgentFlan.Tokenization;

/// <summary>Which end of an over-long sample truncation keeps.</summary>
public enum TruncationSide
{
    /// <summary>Keep the first L tokens (the end of the conversation is lost).</summary>
    Right,

    /// <summary>Keep the last L tokens (the start, typically the system prompt and tool list, is lost).</summary>
    Left,
}

/// <summary>
/// What happens to a sample longer than the sequence length: the recipe's <c>sequence.over_length</c>, the
/// truncation side, and whether truncation may cut inside a tool call (by default it moves the cut to the
/// tool call's edge, dropping the whole call).
/// </summary>
public sealed record OverLengthOptions(OverLengthPolicy Policy = OverLengthPolicy.Truncate, TruncationSide Side = TruncationSide.Right, bool CutToolCalls = false)
{
    public static OverLengthOptions From(SequenceSettings sequence) =>
        new(sequence.OverLength, sequence.Truncation == "left" ? TruncationSide.Left : TruncationSide.Right, sequence.CutToolCalls);
}
