namespace AgentFlan.Evaluation;

/// <summary>
/// The <c>loss</c> suite's result: mean next-token cross-entropy over every supervised token of the held-out
/// conversations, overall and by capability, by kind and by set (<see cref="LossAggregation"/>).
/// </summary>
public sealed record LossScores
{
    /// <summary>Held-out conversations scored (those with at least one supervised token after truncation).</summary>
    public int Samples { get; init; }

    public required LossRow Overall { get; init; }

    public IReadOnlyList<LossRow> ByCapability { get; init; } = [];

    public IReadOnlyList<LossRow> ByKind { get; init; } = [];

    public IReadOnlyList<LossRow> BySet { get; init; } = [];

    /// <summary>Conversations longer than the model's positions, cut at the end to fit.</summary>
    public int Truncated { get; init; }

    /// <summary>Tokens outside the model's compact vocabulary: re-encoded character by character, or dropped.</summary>
    public long TokensRemapped { get; init; }

    public long TokensDropped { get; init; }

    /// <summary>The mean loss of a capability row (reasoning, retrieval, understanding, instruction_following, none), NaN when absent.</summary>
    public double Capability(string name) => ByCapability.FirstOrDefault(r => r.Name == name)?.MeanLoss ?? double.NaN;
}
