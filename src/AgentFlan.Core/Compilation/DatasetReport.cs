using System.Globalization;
using System.Text;
using AgentFlan.Conversations;
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

        text.Append("## By kind\n\n| kind | conversations | supervised tokens | share of supervised |\n|---|---:|---:|---:|\n");
        foreach (var (kind, count) in s.ConversationsByKind)
        {
            var supervised = s.SupervisedTokensByKind.GetValueOrDefault(kind);
            text.Append(CultureInfo.InvariantCulture, $"| {kind} | {count} | {supervised} | {Percent(supervised, s.SupervisedTokens)} |\n");
        }

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

    private static string Percent(long part, long whole) =>
        whole == 0 ? "n/a" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
