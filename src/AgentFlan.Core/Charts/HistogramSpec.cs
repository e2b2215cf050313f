namespace AgentFlan.Charts;

/// <summary>Counts over adjacent bins drawn as touching bars, each bin from its lower to its upper bound.</summary>
public sealed record HistogramSpec : ChartSpec
{
    public required IReadOnlyList<HistogramBin> Bins { get; init; }
}
