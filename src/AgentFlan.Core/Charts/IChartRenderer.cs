namespace AgentFlan.Charts;

/// <summary>Draws a <see cref="ChartSpec"/> as a PNG image (AgentFlan.Charts has the one implementation, on ScottPlot).</summary>
public interface IChartRenderer
{
    /// <summary>What draws the charts, for the reports (for example "ScottPlot 5.1.59, font DejaVu Sans").</summary>
    string Description { get; }

    /// <summary>The PNG bytes of <paramref name="chart"/>, <see cref="ChartSpec.Width"/> × <see cref="ChartSpec.Height"/> pixels.</summary>
    byte[] RenderPng(ChartSpec chart);
}
