using AgentFlan.Diagnostics;

namespace AgentFlan.Compilation;

/// <summary>What a compile produced: the manifest path and anything worth telling the user.</summary>
public sealed record CompileResult(string ManifestPath, DatasetManifest Manifest, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Samples whose token ids came from the stage cache.</summary>
    public long SamplesFromCache { get; init; }

    /// <summary>Samples that had to be tokenized.</summary>
    public long SamplesTokenized { get; init; }

    /// <summary>
    /// Whether the samples stage came from the cache: nothing was read, transformed, rendered or tokenized, only
    /// weighed, packed and written.
    /// </summary>
    public bool SamplesStageReused { get; init; }

    /// <summary>Source segments whose shards came from the packed stage: nothing of theirs was tokenized or packed.</summary>
    public int SegmentsReused { get; init; }

    /// <summary>Source segments packed again only to place their masks: their token files came from the rows stage.</summary>
    public int SegmentsMaskOnly { get; init; }

    /// <summary>Source segments in the compile (one per source).</summary>
    public int Segments { get; init; }

    /// <summary>File sources whose conversations came from the read stage instead of being read again.</summary>
    public int SourcesFromCache { get; init; }

    /// <summary>File sources whose duplicate keys and contamination came from the examined stage instead of their text.</summary>
    public int SourcesExaminedFromCache { get; init; }

    /// <summary>Whether the conversations went past the spool budget and were streamed from a temp file (<see cref="CompileOptions.SpoolBudgetBytes"/>).</summary>
    public bool Spooled { get; init; }

    /// <summary>Wall time per phase, in order (never part of the manifest: it differs between identical compiles).</summary>
    public IReadOnlyList<(string Stage, double Seconds)> Timings { get; init; } = [];

    /// <summary>The timings as one line: "inputs 0.01 s, documents (samples stage) 0.80 s, ...".</summary>
    public string TimingSummary => string.Join(", ", Timings.Select(t => FormattableString.Invariant($"{t.Stage} {t.Seconds:0.00} s")));

    /// <summary>What the cache saved, for logs: "samples stage from the cache" or "N samples from the cache, M tokenized".</summary>
    public string CacheSummary
    {
        get
        {
            var maskOnly = SegmentsMaskOnly > 0 ? $", token files of {SegmentsMaskOnly} of {Segments} sources reused (only masks written)" : string.Empty;
            if (SamplesStageReused)
            {
                return $"samples stage from the cache: {SamplesFromCache} documents re-weighed and packed, nothing read or tokenized{maskOnly}";
            }

            var fileSources = Manifest.Statistics.Sources.Count(s => s.Files.Count > 0);
            var read = fileSources == 0 ? string.Empty : $"{SourcesFromCache} of {fileSources} file sources from the read stage ({SourcesExaminedFromCache} examined before), ";
            var spooled = Spooled ? ", conversations spooled to disk past the memory budget (AgentFlanSpoolBudgetMB)" : string.Empty;
            var packed = SegmentsReused > 0 ? $"{SegmentsReused} of {Segments} sources' shards from the packed stage, " : string.Empty;
            return $"{read}{packed}{SamplesFromCache} samples' tokens from the cache, {SamplesTokenized} tokenized{maskOnly}{spooled}";
        }
    }
}
