using AgentFlan.Conversations;
using AgentFlan.Recipes;
using AgentFlan.Tokenization;

namespace AgentFlan.Transforms;

/// <summary>
/// Mixing, every choice keyed by (seed, transform, id). Source weights: a weight w gives each conversation
/// ⌊w⌋ copies plus one more with probability w − ⌊w⌋ (so 0.5 keeps about half, 2 doubles). General ratio: the
/// general-chat conversations are down- or up-sampled to round(ratio × agent samples) (agent = agent-chat,
/// agent-react and format-following), down by keeping the best-ranked, up by whole copies plus the best-ranked
/// for the remainder. Budgets: <c>max_samples</c> keeps the best-ranked conversations, <c>max_tokens</c> the
/// best-ranked tokenized samples that fit; both keep the order they were given.
/// </summary>
public static class Mixer
{
    public const string GeneralTransform = "mixing.general";
    public const string SamplesTransform = "mixing.max_samples";

    /// <summary>How many times a conversation of a source with this weight appears: ⌊w⌋, plus one with probability w − ⌊w⌋.</summary>
    public static int Copies(double weight, int seed, ReadOnlySpan<char> id)
    {
        var whole = (int)Math.Floor(weight);
        return whole + (StableRandom.Chance(weight - whole, seed, "mixing.weight", id) ? 1 : 0);
    }

    /// <summary>The id of copy <paramref name="copy"/> (0 is the original) made by a source weight.</summary>
    public static string WeightCopyId(string id, int copy) => copy == 0 ? id : $"{id}~{copy + 1}";

    /// <summary>The id of copy <paramref name="copy"/> (0 is the original) made by the general ratio.</summary>
    public static string GeneralCopyId(string id, long copy) => copy == 0 ? id : $"{id}~g{copy + 1}";

    /// <summary>How many general conversations the ratio asks for: round(<paramref name="ratio"/> × <paramref name="agent"/>).</summary>
    public static long GeneralTarget(double ratio, long agent) => (long)Math.Round(ratio * agent, MidpointRounding.AwayFromZero);

    /// <summary>The copies of the general conversation ranked <paramref name="rank"/> of <paramref name="count"/> (by (seed, <see cref="GeneralTransform"/>, id)).</summary>
    public static long GeneralShare(long target, int count, int rank) => (target / count) + (rank < target % count ? 1 : 0);

    /// <summary>
    /// The samples that fit <paramref name="maxTokens"/>, taken in rank order of their ids and returned in the given
    /// order. Only ids and lengths are read, so any sample type works (views in the compile).
    /// </summary>
    public static List<T> LimitTokens<T>(IReadOnlyList<T> samples, Func<T, string> id, Func<T, int> length, long maxTokens, int seed)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (maxTokens <= 0 || samples.Sum(s => (long)length(s)) <= maxTokens)
        {
            return [.. samples];
        }

        var keep = new HashSet<T>(ReferenceEqualityComparer.Instance);
        long total = 0;
        foreach (var sample in StableRandom.Rank(samples, id, seed, "mixing.max_tokens"))
        {
            if (total + length(sample) <= maxTokens)
            {
                keep.Add(sample);
                total += length(sample);
            }
        }

        return [.. samples.Where(keep.Contains)];
    }
}
