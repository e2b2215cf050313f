namespace AgentFlan.Synthetic;

/// <summary>
/// What to generate. Every conversation is a pure function of (<see cref="Seed"/>, <see cref="Split"/>,
/// <see cref="KindMix"/>, index), so <see cref="Count"/> only decides how long the prefix is.
/// </summary>
public sealed record SyntheticOptions
{
    public int Count { get; init; } = 1000;

    public int Seed { get; init; }

    public SyntheticSplit Split { get; init; } = SyntheticSplit.Train;

    /// <summary>Relative weights per kind; null means <see cref="SyntheticCorpus.DefaultKindMix"/>. Missing kinds get weight 0.</summary>
    public IReadOnlyDictionary<SyntheticKind, double>? KindMix { get; init; }
}
