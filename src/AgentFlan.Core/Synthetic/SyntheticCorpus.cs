using AgentFlan.Conversations;

namespace AgentFlan.Synthetic;

/// <summary>
/// Generates tool-use conversations with known right answers. Conversation <c>i</c> depends only on the
/// seed, the split, the kind mix and <c>i</c>: generating 10 or 10,000, on one thread or many, gives the
/// same first 10. Ids are <c>syn-{split}-{seed}-{index}</c>, unique and stable.
/// </summary>
public static class SyntheticCorpus
{
    public const string SourceName = "synthetic";

    /// <summary>Tool use dominates, negatives and general chat are a healthy minority (Agent-FLAN mixes general chat in).</summary>
    public static IReadOnlyDictionary<SyntheticKind, double> DefaultKindMix { get; } = new Dictionary<SyntheticKind, double>
    {
        [SyntheticKind.SingleCall] = 0.30,
        [SyntheticKind.MultiStep] = 0.15,
        [SyntheticKind.FollowUp] = 0.12,
        [SyntheticKind.ToolFailure] = 0.10,
        [SyntheticKind.NoToolNeeded] = 0.10,
        [SyntheticKind.NoToolsOffered] = 0.08,
        [SyntheticKind.GeneralChat] = 0.15,
    };

    public static IEnumerable<Conversation> Generate(SyntheticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Count);
        var mix = Cumulative(options.KindMix ?? DefaultKindMix);
        return Impl(options, mix);

        static IEnumerable<Conversation> Impl(SyntheticOptions options, (SyntheticKind Kind, double Upper)[] mix)
        {
            for (var i = 0; i < options.Count; i++)
            {
                yield return Create(options, mix, i);
            }
        }
    }

    /// <summary>Conversation number <paramref name="index"/> of the corpus <paramref name="options"/> describes.</summary>
    public static Conversation Create(SyntheticOptions options, int index)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Create(options, Cumulative(options.KindMix ?? DefaultKindMix), index);
    }

    /// <summary>The kind conversation <paramref name="index"/> has, without building it.</summary>
    public static SyntheticKind KindOf(SyntheticOptions options, int index)
    {
        ArgumentNullException.ThrowIfNull(options);
        return PickKind(SampleRandom.For(options.Seed, options.Split, index), Cumulative(options.KindMix ?? DefaultKindMix));
    }

    public static string IdOf(SyntheticSplit split, int seed, int index) =>
        $"syn-{(split == SyntheticSplit.Train ? "train" : "heldout")}-{seed}-{index:D6}";

    private static Conversation Create(SyntheticOptions options, (SyntheticKind Kind, double Upper)[] mix, int index)
    {
        var rng = SampleRandom.For(options.Seed, options.Split, index);
        var kind = PickKind(rng, mix);
        var ctx = new ScenarioContext(rng, options.Split);
        var result = kind switch
        {
            SyntheticKind.SingleCall => ToolScenarios.SingleCall(ctx),
            SyntheticKind.MultiStep => ToolScenarios.MultiStep(ctx),
            SyntheticKind.FollowUp => ToolScenarios.FollowUp(ctx),
            SyntheticKind.ToolFailure => FailureScenario.Build(ctx),
            SyntheticKind.NoToolNeeded => PlainScenarios.NoToolNeeded(ctx),
            SyntheticKind.NoToolsOffered => PlainScenarios.NoToolsOffered(ctx),
            _ => PlainScenarios.GeneralChat(ctx),
        };
        var id = IdOf(options.Split, options.Seed, index);
        return new Conversation(id, new Provenance(SourceName, null, 0, index), result.Tools, result.Messages) { Kind = result.Kind };
    }

    private static SyntheticKind PickKind(SampleRandom rng, (SyntheticKind Kind, double Upper)[] mix)
    {
        var x = rng.NextDouble();
        foreach (var (kind, upper) in mix)
        {
            if (x < upper)
            {
                return kind;
            }
        }

        return mix[^1].Kind;
    }

    private static (SyntheticKind Kind, double Upper)[] Cumulative(IReadOnlyDictionary<SyntheticKind, double> weights)
    {
        var total = 0.0;
        foreach (var (kind, weight) in weights)
        {
            if (weight < 0 || double.IsNaN(weight) || double.IsInfinity(weight))
            {
                throw new ArgumentException($"Kind weight for {kind} must be a finite non-negative number.", nameof(weights));
            }

            total += weight;
        }

        if (total <= 0)
        {
            throw new ArgumentException("At least one kind needs a positive weight.", nameof(weights));
        }

        // Enum order, not dictionary order, so two equal mixes built differently pick the same kinds.
        var running = 0.0;
        return Enum.GetValues<SyntheticKind>()
            .Where(k => weights.GetValueOrDefault(k) > 0)
            .Select(k => (k, running += weights[k] / total))
            .ToArray();
    }
}
