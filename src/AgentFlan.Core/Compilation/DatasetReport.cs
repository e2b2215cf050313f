using System.Globalization;
using System.Text;
using AgentFlan.Conversations;
using AgentFlan.Evaluation;
using AgentFlan.Tokenization;

namespace AgentFlan.Compilation;

/// <summary>The human-readable report next to the manifest: counts, shares, and one sample with its mask.</summary>
public static class DatasetReport
{
    public static string Render(DatasetManifest manifest, SampleTokenizer sampler, Conversation? example)
    {
        var s = manifest.Statistics;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Dataset report: {manifest.Recipe}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Compiler {manifest.CompilerVersion}, seed {manifest.Seed}, tokenizer {manifest.Tokenizer.Name}, template {manifest.Template}, sequence length {manifest.SequenceLength}.\n\n");
        text.Append("| measure | value |\n|---|---:|\n");
        text.Append(CultureInfo.InvariantCulture, $"| conversations read | {s.Conversations} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| documents written | {s.Documents} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| rows | {manifest.Shards.Sum(x => x.Rows)} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| tokens | {s.Tokens} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| supervised tokens | {s.SupervisedTokens} ({Percent(s.SupervisedTokens, s.Tokens)}) |\n");
        text.Append(CultureInfo.InvariantCulture, $"| packing fill | {Percent(s.Tokens, s.Tokens + s.PaddingTokens)} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| truncated / dropped (over length) | {s.Truncated} / {s.Dropped} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| left out: no supervised token | {s.Unsupervised} |\n\n");

        if (s.Sources.Count > 0)
        {
            text.Append("## By source\n\n| source | format | read | accepted | repaired | rejected (by design) | quarantine |\n|---|---|---:|---:|---:|---:|---|\n");
            foreach (var source in s.Sources)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {source.Name} | {source.Format} | {source.Read} | {source.Accepted} | {source.Repaired} | {source.Rejected} ({source.Filtered}) | {source.Quarantine ?? "-"} |\n");
                foreach (var (code, count) in source.RejectedByCode)
                {
                    text.Append(CultureInfo.InvariantCulture, $"| | {code} | | | | {count} | |\n");
                }
            }

            text.Append('\n');
        }

        if (s.LengthHistogram.Count > 0)
        {
            var most = Math.Max(1, s.LengthHistogram.Values.Max());
            text.Append("## Sample lengths\n\n| tokens up to | documents | |\n|---:|---:|---|\n");
            foreach (var (upTo, count) in s.LengthHistogram)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {upTo} | {count} | {new string('█', (int)Math.Round(30.0 * count / most))} |\n");
            }

            text.Append('\n');
        }

        text.Append("## By kind\n\n| kind | conversations | supervised tokens | share of supervised |\n|---|---:|---:|---:|\n");
        foreach (var (kind, count) in s.ConversationsByKind)
        {
            var supervised = s.SupervisedTokensByKind.GetValueOrDefault(kind);
            text.Append(CultureInfo.InvariantCulture, $"| {kind} | {count} | {supervised} | {Percent(supervised, s.SupervisedTokens)} |\n");
        }

        AgentFlanSections(s, text);

        if (example is not null)
        {
            text.Append("\n## Example with its loss mask\n\nSupervised text is shown between `⟦` and `⟧`.\n\n```text\n");
            foreach (var segment in sampler.Segments(example))
            {
                text.Append(segment.Supervised ? "⟦" + segment.Text + "⟧" : segment.Text);
            }

            text.Append("\n```\n");
            var tokens = sampler.Tokenize(example);
            text.Append(CultureInfo.InvariantCulture, $"\n{tokens.Length} tokens, {tokens.SupervisedCount} supervised (tokenizer {manifest.Tokenizer.Name}).\n");
        }

        return text.ToString();
    }

    private static void AgentFlanSections(DatasetStatistics s, StringBuilder text)
    {
        var t = s.Transforms;
        text.Append("\n## Agent-FLAN transforms\n\n| step | result |\n|---|---|\n");
        text.Append(CultureInfo.InvariantCulture, $"| input conversations | {t.Input} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| exact duplicates removed | {t.DuplicatesBySource.Values.Sum()}{Breakdown(t.DuplicatesBySource)} |\n");
        if (t.HeldOutBySource.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"| held out of training for the evaluation (held_out.fraction, {HeldOutFile.FileName}) | {t.HeldOutBySource.Values.Sum()}{Breakdown(t.HeldOutBySource)} |\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"| removed as overlapping the held-out evaluation queries | {t.DecontaminatedBySource.Values.Sum()}{Breakdown(t.DecontaminatedBySource)} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| source weights: copies added / left out | {t.WeightAdded} / {t.WeightRemoved} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| trajectories by form | {Breakdown(t.AlignedByForm).Trim(' ', '(', ')')} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| format-following built / requested | {t.FormatFollowingByFormat.Values.Sum()} / {t.FormatFollowingRequested}{Breakdown(t.FormatFollowingByFormat)} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| negatives built / requested | {t.NegativesByKind.Where(k => k.Key != "source").Sum(k => k.Value)} / {t.NegativesRequested}{Breakdown(t.NegativesByKind)} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| general chat before / after ratio | {t.GeneralBefore} / {t.GeneralAfter} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| left out by max_samples / max_tokens | {t.SampleBudgetRemoved} / {t.TokenBudgetRemoved} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| conversations to the template | {t.Output} |\n");

        if (s.Capabilities.Count == 0)
        {
            return;
        }

        text.Append("\n## By capability\n\nEligible tokens carry the capability; requested = weight × eligible; achieved = supervised after weighting and truncation. ");
        text.Append("Shares are of the four capabilities together; general and negative answers are outside the decomposition.\n\n");
        text.Append("| capability | weight | eligible | requested | achieved | achieved / eligible | requested share | achieved share |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var c in s.Capabilities)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {c.Capability} | {c.Weight:0.###} | {c.Eligible} | {c.Requested} | {c.Achieved} | {Percent(c.Achieved, c.Eligible)} | {100 * c.RequestedShare:0.0}% | {100 * c.AchievedShare:0.0}% |\n");
        }

        var decomposed = s.Capabilities.Sum(c => c.Achieved);
        text.Append(CultureInfo.InvariantCulture, $"\nSupervised tokens outside the decomposition (general and negative answers): {s.SupervisedTokens - decomposed}.\n");
    }

    private static string Breakdown(IReadOnlyDictionary<string, long> counts) =>
        counts.Count == 0 ? string.Empty : " (" + string.Join(", ", counts.Select(c => $"{c.Key} {c.Value.ToString(CultureInfo.InvariantCulture)}")) + ")";

    private static string Percent(long part, long whole) =>
        whole == 0 ? "n/a" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
