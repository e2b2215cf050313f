namespace AgentFlan.Transforms;

/// <summary>What the Agent-FLAN transforms did, for the manifest and the report.</summary>
public sealed record TransformStatistics
{
    /// <summary>Conversations the sources gave.</summary>
    public long Input { get; init; }

    /// <summary>Exact duplicates removed (normalised content hash), by source.</summary>
    public IReadOnlyDictionary<string, long> DuplicatesBySource { get; init; } = new SortedDictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Conversations held out of training for the evaluation (<c>held_out.fraction</c>), by source.</summary>
    public IReadOnlyDictionary<string, long> HeldOutBySource { get; init; } = new SortedDictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Conversations removed because a user turn overlaps the held-out evaluation queries, by source.</summary>
    public IReadOnlyDictionary<string, long> DecontaminatedBySource { get; init; } = new SortedDictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Copies added by source weights above 1 and conversations left out by weights below 1.</summary>
    public long WeightAdded { get; init; }

    public long WeightRemoved { get; init; }

    /// <summary>Agent conversations with tool calls, by the form alignment chose (react, chat).</summary>
    public IReadOnlyDictionary<string, long> AlignedByForm { get; init; } = new SortedDictionary<string, long>(StringComparer.Ordinal);

    public long FormatFollowingRequested { get; init; }

    /// <summary>Format-following samples built, by format (react, json).</summary>
    public IReadOnlyDictionary<string, long> FormatFollowingByFormat { get; init; } = new SortedDictionary<string, long>(StringComparer.Ordinal);

    public long NegativesRequested { get; init; }

    /// <summary>Negative samples, by kind: no_tools and irrelevant_tools (built), source (taken as given).</summary>
    public IReadOnlyDictionary<string, long> NegativesByKind { get; init; } = new SortedDictionary<string, long>(StringComparer.Ordinal);

    /// <summary>General-chat conversations before and after <c>mixing.general_ratio</c>.</summary>
    public long GeneralBefore { get; init; }

    public long GeneralAfter { get; init; }

    /// <summary>Conversations left out by <c>mixing.max_samples</c>.</summary>
    public long SampleBudgetRemoved { get; init; }

    /// <summary>Tokenized samples left out by <c>mixing.max_tokens</c>.</summary>
    public long TokenBudgetRemoved { get; init; }

    /// <summary>Conversations handed to the chat template.</summary>
    public long Output { get; init; }
}
