using AgentFlan.Diagnostics;

namespace AgentFlan.Compilation;

/// <summary>What a compile produced: the manifest path and anything worth telling the user.</summary>
public sealed record CompileResult(string ManifestPath, DatasetManifest Manifest, IReadOnlyList<Diagnostic> Diagnostics);
