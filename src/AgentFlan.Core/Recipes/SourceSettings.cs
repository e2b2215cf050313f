namespace AgentFlan.Recipes;

/// <summary>
/// One source corpus. <see cref="Format"/> <c>synthetic</c> generates conversations (count, seed);
/// every other format reads <see cref="Path"/> (absolute once loaded; may be a glob such as <c>data/*.jsonl</c>).
/// </summary>
public sealed record SourceSettings
{
    public required string Name { get; init; }

    public required string Format { get; init; }

    public string? Path { get; init; }

    /// <summary>For <c>synthetic</c>: how many conversations. For files: an upper limit (0 = all).</summary>
    public int Count { get; init; }

    public int? Seed { get; init; }

    /// <summary>Sampling multiplier when mixing: 2 repeats the source, 0.5 keeps half.</summary>
    public double Weight { get; init; } = 1.0;

    /// <summary>Largest share of rejected records tolerated before the source fails (AFB1002 family).</summary>
    public double Tolerance { get; init; } = 0.05;

    /// <summary>Format-specific options, passed to the reader (or, for synthetic, the kind mix).</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
