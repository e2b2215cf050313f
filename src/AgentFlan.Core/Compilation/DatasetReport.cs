using System.Globalization;
using System.Text;
using AgentFlan.Charts;
using AgentFlan.Conversations;
using AgentFlan.Diagnostics;
using AgentFlan.Evaluation;
using AgentFlan.IO;
using AgentFlan.Tokenization;

namespace AgentFlan.Compilation;

/// <summary>
/// The human-readable report next to the manifest (report.md): counts and shares as tables, the same numbers as
/// PNG charts in <see cref="ChartFolder"/> (drawn by the <see cref="IChartRenderer"/> the compile was given), and
/// up to three samples with their loss mask. A report without charts says so plainly where they would be.
/// </summary>
public static class DatasetReport
{
    /// <summary>The chart images' folder, beside report.md.</summary>
    public const string ChartFolder = "report";

    /// <summary>
    /// Draws the charts into <see cref="ChartFolder"/> (each PNG atomically; images of charts no longer drawn are
    /// removed), then writes report.md atomically. Returns a warning when the renderer failed: the report then says
    /// why no charts are shown, and the data is unaffected.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Write(string outputDirectory, DatasetManifest manifest, SampleTokenizer sampler, IReadOnlyList<Conversation> examples, IChartRenderer? charts) =>
        Write(outputDirectory, manifest, sampler, examples, Draw(manifest, charts));

    /// <summary>
    /// Draws the charts of <paramref name="manifest"/> in memory, writing nothing: they need only its statistics and
    /// sequence length, so a compile draws them while its last shards are still being written. A renderer that
    /// fails gives no images and the line and warning that say so.
    /// </summary>
    public static DrawnCharts Draw(DatasetManifest manifest, IChartRenderer? charts)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (charts is null)
        {
            return new DrawnCharts([], "Charts: none drawn. This compile was given no chart renderer (CompileOptions.Charts); the tables hold the same numbers.", null);
        }

        try
        {
            var images = DatasetReportCharts.For(manifest).Select(chart => (chart, charts.RenderPng(chart))).ToList();
            return new DrawnCharts(images, $"Charts drawn with {charts.Description}.", null);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            return Failed(manifest, e);
        }
    }

    /// <summary>Writes the charts drawn (each PNG atomically; images of charts no longer drawn are removed), then report.md atomically.</summary>
    public static IReadOnlyList<Diagnostic> Write(string outputDirectory, DatasetManifest manifest, SampleTokenizer sampler, IReadOnlyList<Conversation> examples, DrawnCharts charts) =>
        Write(outputDirectory, manifest, sampler, examples, Task.FromResult(charts));

    /// <summary>
    /// The same, for charts still being drawn (<see cref="Draw"/> on another thread): the examples, which do not
    /// depend on them, are rendered first, then the charts are waited for.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Write(string outputDirectory, DatasetManifest manifest, SampleTokenizer sampler, IReadOnlyList<Conversation> examples, Task<DrawnCharts> drawing)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(drawing);
        var exampleText = new StringBuilder();
        Examples(exampleText, manifest, sampler, examples);
        var charts = drawing.GetAwaiter().GetResult();
        var folder = Path.Combine(outputDirectory, ChartFolder);
        var drawn = new Dictionary<string, (string Title, string File)>(StringComparer.Ordinal);
        try
        {
            foreach (var (chart, png) in charts.Images)
            {
                var file = $"{ChartFolder}/{chart.Name}.png";
                AtomicFile.Write(Path.Combine(outputDirectory, file), stream => stream.Write(png));
                drawn[chart.Name] = (chart.Title, file);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            drawn.Clear();
            charts = Failed(manifest, e);
        }

        var chartsLine = charts.Line;
        var diagnostics = charts.Warning is null ? new List<Diagnostic>() : [charts.Warning];
        RemoveStaleCharts(folder, drawn.Keys);
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, RecipeCompiler.ReportFileName), Render(manifest, drawn, chartsLine, exampleText));
        return diagnostics;
    }

    /// <summary>The report's Markdown; <paramref name="charts"/> maps a chart name to its title and relative file.</summary>
    public static string Render(DatasetManifest manifest, SampleTokenizer sampler, IReadOnlyList<Conversation> examples, IReadOnlyDictionary<string, (string Title, string File)> charts, string chartsLine)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(examples);
        var exampleText = new StringBuilder();
        Examples(exampleText, manifest, sampler, examples);
        return Render(manifest, charts, chartsLine, exampleText);
    }

    /// <summary>The report's Markdown with its examples section already rendered.</summary>
    private static string Render(DatasetManifest manifest, IReadOnlyDictionary<string, (string Title, string File)> charts, string chartsLine, StringBuilder exampleText)
    {
        ArgumentNullException.ThrowIfNull(charts);
        void Chart(StringBuilder text, string name)
        {
            if (charts.TryGetValue(name, out var chart))
            {
                text.Append(CultureInfo.InvariantCulture, $"![{chart.Title}]({chart.File})\n\n");
            }
        }

        var s = manifest.Statistics;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Dataset report: {manifest.Recipe}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Compiler {manifest.CompilerVersion}, seed {manifest.Seed}, tokenizer {manifest.Tokenizer.Name}, template {manifest.Template}, sequence length {manifest.SequenceLength}.\n\n");
        text.Append(chartsLine).Append("\n\n");
        text.Append("| measure | value |\n|---|---:|\n");
        text.Append(CultureInfo.InvariantCulture, $"| conversations read | {s.Conversations} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| documents written | {s.Documents} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| rows | {manifest.Shards.Sum(x => x.Rows)} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| tokens | {s.Tokens} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| supervised tokens | {s.SupervisedTokens} ({Percent(s.SupervisedTokens, s.Tokens)}) |\n");
        text.Append(CultureInfo.InvariantCulture, $"| packing fill | {Percent(s.Tokens, s.Tokens + s.PaddingTokens)} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| truncated / dropped (over length) | {s.Truncated} / {s.Dropped} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| left out: no supervised token | {s.Unsupervised} |\n\n");
        Chart(text, DatasetReportCharts.Efficiency);

        if (s.Sources.Count > 0)
        {
            text.Append("## By source\n\n| source | format | read | accepted | repaired | rejected (by design) | quarantine |\n|---|---|---:|---:|---:|---:|---|\n");
            foreach (var source in s.Sources)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {source.Name} | {source.Format} | {source.Read} | {source.Accepted} | {source.Repaired} | {source.Rejected} ({source.Filtered}) | {source.Quarantine ?? "-"} |\n");
                foreach (var (code, count) in source.RepairedByCode)
                {
                    text.Append(CultureInfo.InvariantCulture, $"| | {code} | | | {count} | | |\n");
                }

                foreach (var (code, count) in source.RejectedByCode)
                {
                    text.Append(CultureInfo.InvariantCulture, $"| | {code} | | | | {count} | |\n");
                }
            }

            text.Append('\n');
            Chart(text, DatasetReportCharts.Sources);
            Chart(text, DatasetReportCharts.Reasons);
        }

        if (s.OverLengthBySource.Count > 0)
        {
            text.Append("## Over length by source\n\n| source | truncated | dropped |\n|---|---:|---:|\n");
            foreach (var (source, counts) in s.OverLengthBySource)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {source} | {counts.Truncated} | {counts.Dropped} |\n");
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
            Chart(text, DatasetReportCharts.Lengths);
        }

        text.Append("## By kind\n\n| kind | conversations | supervised tokens | share of supervised |\n|---|---:|---:|---:|\n");
        foreach (var (kind, count) in s.ConversationsByKind)
        {
            var supervised = s.SupervisedTokensByKind.GetValueOrDefault(kind);
            text.Append(CultureInfo.InvariantCulture, $"| {kind} | {count} | {supervised} | {Percent(supervised, s.SupervisedTokens)} |\n");
        }

        text.Append('\n');
        Chart(text, DatasetReportCharts.Kinds);
        AgentFlanSections(s, text, Chart);
        text.Append(exampleText);
        return text.ToString();
    }

    private static void Examples(StringBuilder text, DatasetManifest manifest, SampleTokenizer sampler, IReadOnlyList<Conversation> examples)
    {
        if (examples.Count == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"## Examples with their loss mask\n\n{examples.Count} sample(s) as the model sees them; supervised text (the tokens the loss is computed on) is shown between `⟦` and `⟧`.\n");
        for (int i = 0; i < examples.Count; i++)
        {
            var example = examples[i];
            var rendered = new StringBuilder();
            foreach (var segment in sampler.Segments(example))
            {
                rendered.Append(segment.Supervised ? "⟦" + segment.Text + "⟧" : segment.Text);
            }

            // A fence longer than any run of backticks in the sample, so the sample cannot close it.
            var fence = new string('`', Math.Max(3, LongestRun(rendered, '`') + 1));
            var tokens = sampler.Tokenize(example);
            text.Append(CultureInfo.InvariantCulture, $"\n### Example {i + 1}: {RecipeCompiler.KindName(example.Kind)} (source {example.Provenance.Source}, id {example.Id})\n\n");
            text.Append(fence).Append("text\n").Append(rendered).Append('\n').Append(fence).Append('\n');
            text.Append(CultureInfo.InvariantCulture, $"\n{tokens.Length} tokens, {tokens.SupervisedCount} supervised (tokenizer {manifest.Tokenizer.Name}).\n");
        }
    }

    private static int LongestRun(StringBuilder text, char c)
    {
        int longest = 0, run = 0;
        for (int i = 0; i < text.Length; i++)
        {
            run = text[i] == c ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }

    private static DrawnCharts Failed(DatasetManifest manifest, Exception e) => new(
        [],
        $"Charts: none drawn. Drawing them failed ({e.GetType().Name}: {e.Message}); the tables hold the same numbers.",
        Diagnostic.Warning(DiagnosticCodes.ReportChartsFailed, $"The charts of recipe '{manifest.Recipe}''s report could not be drawn: {e.GetType().Name}: {e.Message}"));

    private static void RemoveStaleCharts(string folder, IEnumerable<string> drawn)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        var keep = drawn.Select(name => name + ".png").ToHashSet(StringComparer.Ordinal);
        foreach (var png in Directory.EnumerateFiles(folder, "*.png"))
        {
            if (!keep.Contains(Path.GetFileName(png)))
            {
                File.Delete(png);
            }
        }
    }

    private static void AgentFlanSections(DatasetStatistics s, StringBuilder text, Action<StringBuilder, string> chart)
    {
        var t = s.Transforms;
        text.Append("## Agent-FLAN transforms\n\n| step | result |\n|---|---|\n");
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
        text.Append(CultureInfo.InvariantCulture, $"| conversations to the template | {t.Output} |\n\n");
        chart(text, DatasetReportCharts.Built);

        if (s.Capabilities.Count == 0)
        {
            return;
        }

        text.Append("## By capability\n\nEligible tokens carry the capability; requested = weight × eligible; achieved = supervised after weighting and truncation. ");
        text.Append("Shares are of the four capabilities together; general and negative answers are outside the decomposition.\n\n");
        text.Append("| capability | weight | eligible | requested | achieved | achieved / eligible | requested share | achieved share |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var c in s.Capabilities)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {c.Capability} | {c.Weight:0.###} | {c.Eligible} | {c.Requested} | {c.Achieved} | {Percent(c.Achieved, c.Eligible)} | {100 * c.RequestedShare:0.0}% | {100 * c.AchievedShare:0.0}% |\n");
        }

        var decomposed = s.Capabilities.Sum(c => c.Achieved);
        text.Append(CultureInfo.InvariantCulture, $"\nSupervised tokens outside the decomposition (general and negative answers): {s.SupervisedTokens - decomposed}.\n\n");
        chart(text, DatasetReportCharts.Capabilities);
    }

    private static string Breakdown(IReadOnlyDictionary<string, long> counts) =>
        counts.Count == 0 ? string.Empty : " (" + string.Join(", ", counts.Select(c => $"{c.Key} {c.Value.ToString(CultureInfo.InvariantCulture)}")) + ")";

    private static string Percent(long part, long whole) =>
        whole == 0 ? "n/a" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}

/// <summary>A report's charts drawn in memory (<see cref="DatasetReport.Draw"/>), with the report's line about them and the warning when drawing failed.</summary>
public sealed record DrawnCharts(IReadOnlyList<(ChartSpec Chart, byte[] Png)> Images, string Line, Diagnostic? Warning);
