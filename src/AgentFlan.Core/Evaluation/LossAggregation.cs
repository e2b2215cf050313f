using AgentFlan.Conversations;

namespace AgentFlan.Evaluation;

/// <summary>
/// Aggregates per-token losses into <see cref="LossScores"/>, a pure function. Every mean is token-weighted, as
/// the training loss is: the sum of a group's token losses over its token count, so a long answer weighs more than
/// a short one. Perplexity is exp(mean loss). Capabilities are always listed in the decomposition's order (a
/// capability no token carries has 0 tokens and NaN loss); <c>none</c> is plain answers outside the decomposition
/// (general chat, negatives).
/// </summary>
public static class LossAggregation
{
    public static IReadOnlyList<Capability> CapabilityOrder { get; } =
        [Capability.Reasoning, Capability.Retrieval, Capability.Understanding, Capability.InstructionFollowing, Capability.None];

    public static string Name(Capability capability) => capability switch
    {
        Capability.Reasoning => "reasoning",
        Capability.Retrieval => "retrieval",
        Capability.Understanding => "understanding",
        Capability.InstructionFollowing => "instruction_following",
        _ => "none",
    };

    public static LossScores Summarize(IEnumerable<ScoredSample> samples, int truncated = 0, long remapped = 0, long dropped = 0)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var overall = new Sum();
        var byCapability = CapabilityOrder.ToDictionary(c => c, _ => new Sum());
        var byKind = new SortedDictionary<string, Sum>(StringComparer.Ordinal);
        var bySet = new SortedDictionary<string, Sum>(StringComparer.Ordinal);
        int count = 0;
        foreach (var sample in samples)
        {
            if (sample.Capabilities.Count != sample.Losses.Count)
            {
                throw new ArgumentException($"A sample of set '{sample.Set}' has {sample.Capabilities.Count} capabilities for {sample.Losses.Count} losses.", nameof(samples));
            }

            if (sample.Losses.Count == 0)
            {
                continue;
            }

            count++;
            var kind = Get(byKind, sample.Kind);
            var set = Get(bySet, sample.Set);
            for (int i = 0; i < sample.Losses.Count; i++)
            {
                var loss = sample.Losses[i];
                overall.Add(loss);
                kind.Add(loss);
                set.Add(loss);
                byCapability[sample.Capabilities[i]].Add(loss);
            }
        }

        return new LossScores
        {
            Samples = count,
            Overall = overall.Row("all"),
            ByCapability = [.. CapabilityOrder.Select(c => byCapability[c].Row(Name(c)))],
            ByKind = [.. byKind.Select(k => k.Value.Row(k.Key))],
            BySet = [.. bySet.Select(s => s.Value.Row(s.Key))],
            Truncated = truncated,
            TokensRemapped = remapped,
            TokensDropped = dropped,
        };
    }

    private static Sum Get(SortedDictionary<string, Sum> groups, string key)
    {
        if (!groups.TryGetValue(key, out var sum))
        {
            groups[key] = sum = new Sum();
        }

        return sum;
    }

    private sealed class Sum
    {
        private double _total;
        private long _tokens;

        public void Add(double loss)
        {
            _total += loss;
            _tokens++;
        }

        public LossRow Row(string name)
        {
            var mean = _tokens == 0 ? double.NaN : _total / _tokens;
            return new LossRow(name, _tokens, mean, Math.Exp(mean));
        }
    }
}
