namespace AgentFlan.Charts;

/// <summary>
/// Grouped bars: one group per category, one bar per series inside each group (a legend names the series when
/// there is more than one). Bars may carry a whisker (<see cref="BarSeries.Errors"/>).
/// </summary>
public sealed record BarChartSpec : ChartSpec
{
    public required IReadOnlyList<string> Categories { get; init; }

    public required IReadOnlyList<BarSeries> Series { get; init; }

    /// <summary>The value axis's upper limit (for example 100 for percentages); null fits the data.</summary>
    public double? ValueMax { get; init; }
}
