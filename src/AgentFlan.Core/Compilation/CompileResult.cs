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

    /// <summary>What the cache saved, for logs: "samples stage from the cache" or "N samples from the cache, M tokenized".</summary>
    public string CacheSummary => SamplesStageReused
        ? $"samples stage from the cache: {SamplesFromCache} documents re-weighed and packed, nothing read or tokenized"
        : $"{SamplesFromCache} samples from the cache, {SamplesTokenized} tokenized";
}
