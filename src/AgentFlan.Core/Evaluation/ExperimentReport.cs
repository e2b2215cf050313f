using System.Globalization;
using System.Text;

namespace AgentFlan.Evaluation;

/// <summary>
/// The comparison table of an experiment: per recipe, the mean and sample standard deviation over training seeds of
/// each headline score. A difference between two rows is only worth reading when it is larger than the spreads.
/// </summary>
public static class ExperimentReport
{
    /// <summary>(suite, score, column title, higher is better).</summary>
    public static IReadOnlyList<(string Suite, string Score, string Title, bool HigherIsBetter)> Columns { get; } =
    [
        (SuiteNames.Hallucination, "h_react", "H_ReAct ↓", false),
        (SuiteNames.Hallucination, "h_general", "H_General ↓", false),
        (SuiteNames.Hallucination, "hscore", "HScore ↑", true),
        (SuiteNames.Hallucination, "h_call", "calls when none is right ↓", false),
        (SuiteNames.Hallucination, "format_following", "format following ↑", true),
        (SuiteNames.ToolUse, "tool_name_accuracy", "right tool ↑", true),
        (SuiteNames.ToolUse, "argument_json_validity", "valid arguments ↑", true),
        (SuiteNames.ToolUse, "argument_exact_match", "exact arguments ↑", true),
        (SuiteNames.ToolUse, "no_call_accuracy", "no call when none is right ↑", true),
        (SuiteNames.Hallucination, "finished", "answers that ended ↑", true),
    ];

    /// <summary>Mean and sample standard deviation (0 for one value) of the finite values; NaN mean when none.</summary>
    public static (double Mean, double Sd, int N) MeanSd(IEnumerable<double> values)
    {
        var list = values.Where(double.IsFinite).ToList();
        if (list.Count == 0)
        {
            return (double.NaN, double.NaN, 0);
        }

        double mean = list.Average();
        double sd = list.Count < 2 ? 0 : Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
        return (mean, sd, list.Count);
    }

    /// <summary>Held-out loss (nats, lower is better) per recipe, overall and per capability, when the loss suite ran.</summary>
    private static void LossTable(StringBuilder md, IReadOnlyList<(string Recipe, EvaluationResults Results)> runs, List<string> recipes)
    {
        if (!runs.Any(r => r.Results.Loss is not null))
        {
            return;
        }

        var names = LossAggregation.CapabilityOrder.Select(LossAggregation.Name).ToList();
        md.Append("\nHeld-out loss (mean cross-entropy per supervised token, nats ↓), mean ± standard deviation over seeds:\n\n| recipe | all | ");
        md.Append(string.Join(" | ", names)).Append(" |\n|---|---|").Append(string.Concat(Enumerable.Repeat("---|", names.Count))).Append('\n');
        foreach (var recipe in recipes)
        {
            var mine = runs.Where(r => r.Recipe == recipe && r.Results.Loss is not null).Select(r => r.Results.Loss!).ToList();
            md.Append(CultureInfo.InvariantCulture, $"| {recipe} |");
            foreach (var value in new Func<LossScores, double>[] { l => l.Overall.MeanLoss }.Concat(names.Select(n => (Func<LossScores, double>)(l => l.Capability(n)))))
            {
                var (mean, sd, n) = MeanSd(mine.Select(value));
                md.Append(n == 0 ? " – |" : FormattableString.Invariant($" {mean:F3} ± {sd:F3} |"));
            }

            md.Append('\n');
        }
    }

    public static string Markdown(IReadOnlyList<(string Recipe, EvaluationResults Results)> runs, string heading)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"{heading}\n\n");
        var recipes = runs.Select(r => r.Recipe).Distinct().ToList();
        var seeds = runs.Select(r => r.Results.TrainingSeed).Distinct().Order().ToList();
        md.Append(CultureInfo.InvariantCulture, $"Scores in %, mean ± standard deviation over {seeds.Count} training seed(s) ({string.Join(", ", seeds)}); ↑ higher is better, ↓ lower is better.\n\n");
        md.Append("| recipe | ").Append(string.Join(" | ", Columns.Select(c => c.Title))).Append(" |\n|---|");
        md.Append(string.Concat(Enumerable.Repeat("---|", Columns.Count))).Append('\n');
        foreach (var recipe in recipes)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {recipe} |");
            foreach (var column in Columns)
            {
                var (mean, sd, n) = MeanSd(runs.Where(r => r.Recipe == recipe).Select(r => r.Results.Score(column.Suite, column.Score)));
                md.Append(n == 0 ? " – |" : FormattableString.Invariant($" {100 * mean:F1} ± {100 * sd:F1} |"));
            }

            md.Append('\n');
        }

        LossTable(md, runs, recipes);
        md.Append("\nPer seed:\n\n| recipe | seed | ").Append(string.Join(" | ", Columns.Select(c => c.Title))).Append(" |\n|---|---|");
        md.Append(string.Concat(Enumerable.Repeat("---|", Columns.Count))).Append('\n');
        foreach (var (recipe, results) in runs)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {recipe} | {results.TrainingSeed} |");
            foreach (var column in Columns)
            {
                md.Append(' ').Append(EvaluationReport.Percent(results.Score(column.Suite, column.Score))).Append(" |");
            }

            md.Append('\n');
        }

        return md.ToString();
    }
}
