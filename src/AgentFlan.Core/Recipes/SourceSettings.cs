namespace AgentFlan.Recipes;

/// <summary>
/// One source corpus. <see cref="Format"/> <c>synthetic</c> generates conversations (count, seed);
/// every other format reads <see cref="Path"/> (absolute once loaded).
/// </summary>
public sealed record SourceSettings
{
    public required string Name { get; init; }

    public required string Format { get; init; }

    public string? Path { get; init; }

    /// <summary>For <c>synthetic</c>: how many conversations. For files: an upper limit (0 = all).</summary>
    public int Count { get; init; }

    public int? Seed { get; init; }
}
