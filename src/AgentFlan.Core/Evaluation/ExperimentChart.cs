using AgentFlan.Charts;

namespace AgentFlan.Evaluation;

/// <summary>
/// The comparison as a bar chart (comparison.png): one group per headline score, one bar per recipe at its mean over
/// seeds in %, a whisker of ± one sample standard deviation. A score no run of a recipe has is left out (NaN).
/// </summary>
public static class ExperimentChart
{
    public const string Name = "comparison";

    public static BarChartSpec Spec(IReadOnlyList<(string Recipe, EvaluationResults Results)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var recipes = runs.Select(r => r.Recipe).Distinct().ToList();
        var columns = ExperimentReport.Columns;
        return new BarChartSpec
        {
            Name = Name,
            Title = "Scores in % (mean over seeds, whisker ± 1 sd)",
            YLabel = "%",
            ValueMax = 100,
            Width = 1000,
            Height = 500,
            Categories = [.. columns.Select(c => c.Title)],
            Series =
            [
                .. recipes.Select(recipe =>
                {
                    var stats = columns.Select(c => ExperimentReport.MeanSd(runs.Where(x => x.Recipe == recipe).Select(x => x.Results.Score(c.Suite, c.Score)))).ToList();
                    return new BarSeries(recipe, [.. stats.Select(m => 100 * m.Mean)], [.. stats.Select(m => 100 * m.Sd)]);
                }),
            ],
        };
    }
}
