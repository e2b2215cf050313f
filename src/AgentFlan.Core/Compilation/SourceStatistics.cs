namespace AgentFlan.Compilation;

/// <summary>
/// What one source yielded: records read = accepted + repaired + rejected; <see cref="Filtered"/> counts the
/// rejections that are by design (ToolBench's unfinished trajectories), which do not count against the tolerance.
/// </summary>
public sealed record SourceStatistics
{
    public required string Name { get; init; }

    public required string Format { get; init; }

    public long Read { get; init; }

    public long Accepted { get; init; }

    public long Repaired { get; init; }

    public long Rejected { get; init; }

    public long Filtered { get; init; }

    public IReadOnlyDictionary<string, int> RejectedByCode { get; init; } = new SortedDictionary<string, int>();

    public IReadOnlyDictionary<string, int> RepairedByCode { get; init; } = new SortedDictionary<string, int>();

    /// <summary>Every file read, relative to the recipe, with its size and SHA-256 (the lockfile's inputs).</summary>
    public IReadOnlyList<SourceFile> Files { get; init; } = [];

    /// <summary>The quarantine file (relative to the manifest) holding every rejected record, if any.</summary>
    public string? Quarantine { get; init; }
}

/// <summary>An input file of a source: path relative to the recipe, size and content hash.</summary>
public sealed record SourceFile(string Path, long Bytes, string Sha256);
