using AgentFlan.Diagnostics;

namespace AgentFlan.Compilation;

/// <summary>What a compile produced: the manifest path and anything worth telling the user.</summary>
public sealed record CompileResult(string ManifestPath, DatasetManifest Manifest, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Samples whose token ids came from the stage cache.</summary>
    public long SamplesFromCache { get; init; }

    /// <summary>Samples that had to be tokenized.</summary>
    public long SamplesTokenized { get; init; }
}
