namespace AgentFlan.Charts;

/// <summary>
/// A chart described as plain data: what to draw, never how. Core builds these (the dataset report, the
/// experiment comparison, the loss curve) and an <see cref="IChartRenderer"/> turns them into PNG bytes, so
/// Core needs no graphics library and its tests can check the numbers a chart will show.
/// </summary>
public abstract record ChartSpec
{
    /// <summary>The file name without extension (<c>kinds</c> → <c>kinds.png</c>): lowercase letters, digits and dashes.</summary>
    public required string Name { get; init; }

    public required string Title { get; init; }

    public string XLabel { get; init; } = "";

    public string YLabel { get; init; } = "";

    public int Width { get; init; } = 800;

    public int Height { get; init; } = 450;
}
