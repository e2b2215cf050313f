using AgentFlan.Charts;
using AgentFlan.IO;

namespace AgentFlan.Trainer.Training;

/// <summary>
/// loss.png beside metrics.jsonl: the loss of every step (thin) and its 10-step running mean (bold) against the
/// step, drawn by the product's one chart renderer (AgentFlan.Charts, ScottPlot). Steps whose loss is not a finite
/// positive number are left out. Written atomically whenever a resume point is, and at the end.
/// </summary>
public static class LossChart
{
    public const string FileName = "loss.png";
    public const int Window = 10;

    public static void Write(string path, IReadOnlyList<double> losses, string title)
    {
        var png = new ScottPlotRenderer().RenderPng(Spec(losses, title));
        AtomicFile.Write(path, stream => stream.Write(png));
    }

    /// <summary>The chart: series "loss" (step, loss) and the emphasised "10-step running mean" (mean of the last ≤ 10 kept steps).</summary>
    public static LineChartSpec Spec(IReadOnlyList<double> losses, string title)
    {
        var points = losses.Select((loss, i) => (Step: i + 1, Loss: loss)).Where(p => p.Loss > 0 && double.IsFinite(p.Loss)).ToList();
        double[] steps = [.. points.Select(p => (double)p.Step)];
        double[] values = [.. points.Select(p => p.Loss)];
        double[] mean = [.. values.Select((_, i) => values.Skip(Math.Max(0, i - (Window - 1))).Take(Math.Min(Window, i + 1)).Average())];
        return new LineChartSpec
        {
            Name = "loss",
            Title = title,
            XLabel = "step",
            YLabel = "loss",
            Series = [new LineSeries("loss", steps, values), new LineSeries($"{Window}-step running mean", steps, mean, Emphasis: true)],
        };
    }
}
