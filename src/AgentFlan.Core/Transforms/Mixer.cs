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
    public static List<Conversation> ApplySourceWeights(IReadOnlyList<Conversation> conversations, IReadOnlyList<SourceSettings> sources, int seed, out long added, out long removed)
    {
        var weights = sources.ToDictionary(s => s.Name, s => s.Weight, StringComparer.Ordinal);
        var result = new List<Conversation>(conversations.Count);
        added = removed = 0;
        foreach (var conversation in conversations)
        {
            var weight = weights.GetValueOrDefault(conversation.Provenance.Source, 1.0);
            var whole = (int)Math.Floor(weight);
            var copies = whole + (StableRandom.Chance(weight - whole, seed, "mixing.weight", conversation.Id) ? 1 : 0);
            removed += copies == 0 ? 1 : 0;
            added += Math.Max(0, copies - 1);
            for (int k = 0; k < copies; k++)
            {
                result.Add(k == 0 ? conversation : conversation with { Id = $"{conversation.Id}~{k + 1}" });
            }
        }

        return result;
    }

    public static List<Conversation> BalanceGeneral(IReadOnlyList<Conversation> conversations, double ratio, int seed)
    {
        var general = conversations.Where(c => c.Kind == ConversationKind.General).ToList();
        if (ratio <= 0 || general.Count == 0)
        {
            return [.. conversations];
        }

        var agent = conversations.Count(c => Kinds.IsAgent(c.Kind));
        var target = (long)Math.Round(ratio * agent, MidpointRounding.AwayFromZero);
        var ranked = StableRandom.Rank(general, c => c.Id, seed, "mixing.general");
        var copies = new Dictionary<Conversation, long>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < ranked.Count; i++)
        {
            copies[ranked[i]] = (target / ranked.Count) + (i < target % ranked.Count ? 1 : 0);
        }

        var result = new List<Conversation>();
        foreach (var conversation in conversations)
        {
            var n = copies.GetValueOrDefault(conversation, 1);
            for (long k = 0; k < n; k++)
            {
                result.Add(k == 0 ? conversation : conversation with { Id = $"{conversation.Id}~g{k + 1}" });
            }
        }

        return result;
    }

    public static List<Conversation> LimitSamples(IReadOnlyList<Conversation> conversations, long maxSamples, int seed)
    {
        if (maxSamples <= 0 || conversations.Count <= maxSamples)
        {
            return [.. conversations];
        }

        var keep = StableRandom.Rank(conversations, c => c.Id, seed, "mixing.max_samples").Take((int)maxSamples).ToHashSet(ReferenceEqualityComparer.Instance);
        return [.. conversations.Where(keep.Contains)];
    }

    /// <summary>The samples that fit <paramref name="maxTokens"/>, taken in rank order and returned in the given order.</summary>
    public static List<TokenizedSample> LimitTokens(IReadOnlyList<TokenizedSample> samples, long maxTokens, int seed)
    {
        if (maxTokens <= 0 || samples.Sum(s => (long)s.Length) <= maxTokens)
        {
            return [.. samples];
        }

        var keep = new HashSet<TokenizedSample>(ReferenceEqualityComparer.Instance);
        long total = 0;
        foreach (var sample in StableRandom.Rank(samples, s => s.Id, seed, "mixing.max_tokens"))
        {
            if (total + sample.Length <= maxTokens)
            {
                keep.Add(sample);
                total += sample.Length;
            }
        }

        return [.. samples.Where(keep.Contains)];
    }
}
