using System.Globalization;
using System.Text;

namespace AgentFlan.Evaluation;

/// <summary>report.md of one evaluation: a table per suite, the decontamination check, and answers scored as hallucinations.</summary>
public static class EvaluationReport
{
    public static string Markdown(EvaluationResults results, int examples = 8)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Evaluation of `{results.Recipe}` (training seed {results.TrainingSeed})\n\n");
        md.Append(CultureInfo.InvariantCulture, $"{results.Cases.Count} held-out cases (generator seed {results.Seed}), greedy decoding, {results.GeneratedTokens:N0} tokens generated in {results.Seconds:F1} s. ");
        md.Append("Cases come from the synthetic generator's held-out split (held-out tools and phrasings), and from `evaluation.sources` files and the recipe's held-out conversations where set (categories prefixed with the source); see docs/evaluation.md.\n\n");
        foreach (var suite in results.Suites)
        {
            md.Append(CultureInfo.InvariantCulture, $"## {suite.Suite}\n\n| score | value |\n|---|---|\n");
            foreach (var (name, value) in suite.Scores)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {name} | {Percent(value)} |\n");
            }

            md.Append('\n').Append(string.Join(", ", suite.Counts.Select(c => $"{c.Key}: {c.Value}"))).Append(" cases.\n\n");
            md.Append("| category | cases | hallucinated | ReAct keyword | tool-intent phrase | any call | right tool | exact arguments |\n|---|---|---|---|---|---|---|---|\n");
            foreach (var group in results.Cases.Where(c => c.Suite == suite.Suite).GroupBy(c => c.Category))
            {
                var list = group.ToList();
                md.Append(CultureInfo.InvariantCulture, $"| {group.Key} | {list.Count} | {Share(list, r => r.Hallucinated)} | {Share(list, r => r.ReactKeyword)} | {Share(list, r => r.GeneralKeyword)} | {Share(list, r => r.Calls.Count > 0)} | {Share(list, r => r.ToolNameCorrect)} | {Share(list, r => r.ArgumentsExact)} |\n");
            }

            md.Append('\n');
        }

        if (results.Loss is { } loss)
        {
            Loss(md, loss);
        }

        var d = results.Decontamination;
        md.Append("## Decontamination\n\n");
        md.Append(CultureInfo.InvariantCulture, $"{d.QueriesFoundInTraining} of the cases' queries occur verbatim in the training set ({d.TrainingCharacters:N0} characters of decoded training documents searched).");
        md.Append(d.Examples.Count > 0 ? " Examples: " + string.Join("; ", d.Examples.Select(e => "`" + OneLine(e, 80) + "`")) + "\n\n" : "\n\n");
        if (results.PromptTokensRemapped + results.PromptTokensDropped > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"Prompt tokens outside the model's compact vocabulary: {results.PromptTokensRemapped} re-encoded character by character, {results.PromptTokensDropped} dropped.\n\n");
        }

        md.Append("## Answers scored as hallucinations\n\n");
        var bad = results.Cases.Where(c => c.Hallucinated).Take(examples).ToList();
        if (bad.Count == 0)
        {
            md.Append("None.\n");
        }

        foreach (var c in bad)
        {
            var why = string.Join(", ", new[] { c.ReactKeyword ? "ReAct keyword" : null, c.GeneralKeyword ? "tool-intent phrase" : null, c.Calls.Count > 0 ? "call " + string.Join(", ", c.Calls) : null }.OfType<string>());
            md.Append(CultureInfo.InvariantCulture, $"- **{c.Id}** ({why})\n  - query: {OneLine(c.Query, 160)}\n  - answer: `{OneLine(c.Response, 240)}`\n");
        }

        return md.ToString();
    }

    private static void Loss(StringBuilder md, LossScores loss)
    {
        md.Append("## loss\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Mean next-token cross-entropy (nats) over every supervised token of {loss.Samples} held-out conversations, rendered as training renders them but with every capability weight 1 (no eligible assistant token left out): {loss.Overall.MeanLoss:F3}, perplexity {loss.Overall.Perplexity:F2}, {loss.Overall.Tokens:N0} tokens.");
        if (loss.Truncated + loss.TokensRemapped + loss.TokensDropped > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $" {loss.Truncated} conversations cut to the model's length; tokens outside the compact vocabulary: {loss.TokensRemapped} re-encoded character by character, {loss.TokensDropped} dropped.");
        }

        md.Append("\n\n");
        LossTable(md, "capability", loss.ByCapability);
        LossTable(md, "kind", loss.ByKind);
        LossTable(md, "set", loss.BySet);
    }

    private static void LossTable(StringBuilder md, string title, IReadOnlyList<LossRow> rows)
    {
        md.Append(CultureInfo.InvariantCulture, $"| {title} | supervised tokens | mean loss | perplexity |\n|---|---|---|---|\n");
        foreach (var row in rows)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {row.Name} | {row.Tokens:N0} | {Number(row.MeanLoss, "F3")} | {Number(row.Perplexity, "F2")} |\n");
        }

        md.Append('\n');
    }

    internal static string Number(double value, string format) => double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "–";

    internal static string Percent(double value) => double.IsNaN(value) ? "–" : (100 * value).ToString("F1", CultureInfo.InvariantCulture);

    private static string Share(List<CaseResult> list, Func<CaseResult, bool> predicate) =>
        Percent(list.Count == 0 ? double.NaN : (double)list.Count(predicate) / list.Count);

    internal static string OneLine(string text, int max)
    {
        var line = text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", " ⏎ ", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);
        return line.Length <= max ? line : line[..max] + "…";
    }
}
