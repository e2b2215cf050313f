using AgentFlan.Tokenization;
using AgentFlan.Transforms;

namespace AgentFlan.Compilation;

/// <summary>
/// What the samples of one segment (one source's conversations, or the built samples) add to a dataset's statistics.
/// Every count is a sum, so a compile adds the tallies of its segments — those it packed and those it took from the
/// packed stage — and gets exactly what one pass over all the samples counts.
/// </summary>
public sealed class SegmentTally
{
    public long Conversations { get; set; }

    public long Documents { get; set; }

    public long Tokens { get; set; }

    public long SupervisedTokens { get; set; }

    public long Truncated { get; set; }

    public long Dropped { get; set; }

    public long Unsupervised { get; set; }

    public SortedDictionary<string, long> ConversationsByKind { get; set; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, long> SupervisedTokensByKind { get; set; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, OverLengthCounts> OverLengthBySource { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Sample lengths in eighths of the sequence length (the last bucket holds full-length, truncated samples).</summary>
    public long[] LengthBuckets { get; set; } = new long[8];

    public CapabilityCounter Capabilities { get; set; } = new();

    /// <summary>Adds <paramref name="other"/>'s counts to these.</summary>
    public void Add(SegmentTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Conversations += other.Conversations;
        Documents += other.Documents;
        Tokens += other.Tokens;
        SupervisedTokens += other.SupervisedTokens;
        Truncated += other.Truncated;
        Dropped += other.Dropped;
        Unsupervised += other.Unsupervised;
        foreach (var (kind, count) in other.ConversationsByKind)
        {
            ConversationsByKind[kind] = ConversationsByKind.GetValueOrDefault(kind) + count;
        }

        foreach (var (kind, count) in other.SupervisedTokensByKind)
        {
            SupervisedTokensByKind[kind] = SupervisedTokensByKind.GetValueOrDefault(kind) + count;
        }

        foreach (var (source, counts) in other.OverLengthBySource)
        {
            var mine = OverLengthBySource.GetValueOrDefault(source) ?? new OverLengthCounts();
            OverLengthBySource[source] = new OverLengthCounts { Truncated = mine.Truncated + counts.Truncated, Dropped = mine.Dropped + counts.Dropped };
        }

        for (int b = 0; b < LengthBuckets.Length; b++)
        {
            LengthBuckets[b] += other.LengthBuckets[b];
        }

        Capabilities.Add(other.Capabilities);
    }
}
