namespace AgentFlan.Charts;

/// <summary>Lines of (x, y) points on shared axes, with a legend when there is more than one series.</summary>
public sealed record LineChartSpec : ChartSpec
{
    public required IReadOnlyList<LineSeries> Series { get; init; }
}
