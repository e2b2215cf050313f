using AgentFlan.Charts;

namespace AgentFlan.Compilation;

/// <summary>
/// The dataset report's charts as plain data, built from the manifest's statistics alone (so the numbers on a
/// chart are the numbers in the manifest). A chart with nothing to show (no sources, no capability weights) is
/// left out. Names are the PNG file names under <see cref="DatasetReport.ChartFolder"/>.
/// </summary>
public static class DatasetReportCharts
{
    public const string Efficiency = "efficiency", Sources = "sources", Reasons = "reasons", Lengths = "lengths",
        Kinds = "kinds", Built = "built", Capabilities = "capabilities";

    /// <summary>Every chart with something to show, in report order.</summary>
    public static IReadOnlyList<ChartSpec> For(DatasetManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var s = manifest.Statistics;
        return new ChartSpec?[] { EfficiencyChart(s), SourcesChart(s), ReasonsChart(s), LengthsChart(manifest), KindsChart(s), BuiltChart(s), CapabilitiesChart(s) }
            .OfType<ChartSpec>().ToList();
    }

    /// <summary>Packing fill and supervision (% of tokens); truncation, drops and unsupervised samples (% of conversations).</summary>
    public static BarChartSpec EfficiencyChart(DatasetStatistics s) => new()
    {
        Name = Efficiency,
        Title = "Truncation and packing efficiency",
        YLabel = "%",
        ValueMax = 100,
        Categories = ["packing fill\n(of row tokens)", "supervised\n(of tokens)", "truncated\n(of conversations)", "dropped: over length\n(of conversations)", "no supervised token\n(of conversations)"],
        Series =
        [
            new("%", [Percent(s.Tokens, s.Tokens + s.PaddingTokens), Percent(s.SupervisedTokens, s.Tokens), Percent(s.Truncated, s.Conversations), Percent(s.Dropped, s.Conversations), Percent(s.Unsupervised, s.Conversations)]),
        ],
    };

    /// <summary>Records per source: read, accepted, repaired, rejected; null without sources (conversations given directly).</summary>
    public static BarChartSpec? SourcesChart(DatasetStatistics s) => s.Sources.Count == 0 ? null : new()
    {
        Name = Sources,
        Title = "Records by source",
        YLabel = "records",
        Categories = [.. s.Sources.Select(x => x.Name)],
        Series =
        [
            new("read", [.. s.Sources.Select(x => (double)x.Read)]),
            new("accepted", [.. s.Sources.Select(x => (double)x.Accepted)]),
            new("repaired", [.. s.Sources.Select(x => (double)x.Repaired)]),
            new("rejected", [.. s.Sources.Select(x => (double)x.Rejected)]),
        ],
    };

    /// <summary>Rejections and repairs by reason (diagnostic code) over every source; null when there were none.</summary>
    public static BarChartSpec? ReasonsChart(DatasetStatistics s)
    {
        var codes = s.Sources.SelectMany(x => x.RejectedByCode.Keys.Concat(x.RepairedByCode.Keys)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (codes.Count == 0)
        {
            return null;
        }

        return new BarChartSpec
        {
            Name = Reasons,
            Title = "Rejections and repairs by reason",
            YLabel = "records",
            Categories = codes,
            Series =
            [
                new("rejected", [.. codes.Select(c => (double)s.Sources.Sum(x => x.RejectedByCode.GetValueOrDefault(c)))]),
                new("repaired", [.. codes.Select(c => (double)s.Sources.Sum(x => x.RepairedByCode.GetValueOrDefault(c)))]),
            ],
        };
    }

    /// <summary>Documents written per length bucket (eighths of the sequence length).</summary>
    public static HistogramSpec? LengthsChart(DatasetManifest manifest)
    {
        var histogram = manifest.Statistics.LengthHistogram;
        if (histogram.Count == 0)
        {
            return null;
        }

        int from = 0;
        var bins = new List<HistogramBin>();
        foreach (var (upTo, count) in histogram.OrderBy(h => h.Key))
        {
            bins.Add(new HistogramBin(from, upTo, count));
            from = upTo;
        }

        return new HistogramSpec
        {
            Name = Lengths,
            Title = $"Sample lengths (sequence length {manifest.SequenceLength})",
            XLabel = "tokens",
            YLabel = "documents",
            Bins = bins,
        };
    }

    /// <summary>Each kind's share of the conversations and of the supervised tokens.</summary>
    public static BarChartSpec KindsChart(DatasetStatistics s)
    {
        var kinds = s.ConversationsByKind.Keys.Union(s.SupervisedTokensByKind.Keys).Order(StringComparer.Ordinal).ToList();
        long conversations = s.ConversationsByKind.Values.Sum();
        return new BarChartSpec
        {
            Name = Kinds,
            Title = "Conversations and supervised tokens by kind",
            YLabel = "% of all",
            ValueMax = 100,
            Categories = kinds,
            Series =
            [
                new("conversations", [.. kinds.Select(k => Percent(s.ConversationsByKind.GetValueOrDefault(k), conversations))]),
                new("supervised tokens", [.. kinds.Select(k => Percent(s.SupervisedTokensByKind.GetValueOrDefault(k), s.SupervisedTokens))]),
            ],
        };
    }

    /// <summary>Format-following samples and negatives: requested by the recipe against built; null when none was requested or built.</summary>
    public static BarChartSpec? BuiltChart(DatasetStatistics s)
    {
        var t = s.Transforms;
        long formatBuilt = t.FormatFollowingByFormat.Values.Sum(), negativesBuilt = t.NegativesByKind.Where(k => k.Key != "source").Sum(k => k.Value);
        if (t.FormatFollowingRequested + t.NegativesRequested + formatBuilt + negativesBuilt == 0)
        {
            return null;
        }

        return new BarChartSpec
        {
            Name = Built,
            Title = "Built samples: requested against built",
            YLabel = "samples",
            Categories = ["format-following", "negatives"],
            Series =
            [
                new("requested", [t.FormatFollowingRequested, t.NegativesRequested]),
                new("built", [formatBuilt, negativesBuilt]),
            ],
        };
    }

    /// <summary>Supervised tokens per capability: eligible, requested (weight × eligible), achieved; null without capabilities.</summary>
    public static BarChartSpec? CapabilitiesChart(DatasetStatistics s) => s.Capabilities.Count == 0 ? null : new()
    {
        Name = Capabilities,
        Title = "Supervised tokens by capability: requested against achieved",
        YLabel = "tokens",
        Categories = [.. s.Capabilities.Select(c => c.Capability)],
        Series =
        [
            new("eligible", [.. s.Capabilities.Select(c => (double)c.Eligible)]),
            new("requested", [.. s.Capabilities.Select(c => (double)c.Requested)]),
            new("achieved", [.. s.Capabilities.Select(c => (double)c.Achieved)]),
        ],
    };

    private static double Percent(long part, long whole) => whole == 0 ? double.NaN : Math.Round(100.0 * part / whole, 2);
}
