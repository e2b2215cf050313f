using AgentFlan.Conversations;
using AgentFlan.Recipes;
using AgentFlan.Synthetic;

namespace AgentFlan.Compilation;

/// <summary>
/// A <c>format: synthetic</c> source: the generator's training split, seeded by the source or the recipe.
/// Its <c>options</c> set the kind mix as relative weights by kind name (<c>single_call: 3</c>,
/// <c>no_tools_offered: 0</c>, …); kinds not named keep the generator's default weight.
/// </summary>
internal static class SyntheticSource
{
    /// <summary>Kind names as recipes write them.</summary>
    public static IReadOnlyDictionary<string, SyntheticKind> KindNames { get; } = Enum.GetValues<SyntheticKind>()
        .ToDictionary(k => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(k.ToString()), k => k, StringComparer.Ordinal);

    public static IReadOnlyDictionary<SyntheticKind, double>? KindMix(IReadOnlyDictionary<string, string> options)
    {
        if (options.Count == 0)
        {
            return null;
        }

        var mix = new Dictionary<SyntheticKind, double>(SyntheticCorpus.DefaultKindMix);
        foreach (var (name, value) in options)
        {
            mix[KindNames[name]] = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        return mix;
    }

    public static IEnumerable<Conversation> Generate(SourceSettings source, int recipeSeed, CancellationToken cancellationToken)
    {
        var options = new SyntheticOptions
        {
            Count = source.Count,
            Seed = source.Seed ?? recipeSeed,
            Split = SyntheticSplit.Train,
            KindMix = KindMix(source.Options),
        };
        foreach (var conversation in SyntheticCorpus.Generate(options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return conversation with { Provenance = conversation.Provenance with { Source = source.Name } };
        }
    }
}
