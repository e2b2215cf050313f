using AgentFlan.Conversations;
using AgentFlan.Recipes;
using AgentFlan.Synthetic;

namespace AgentFlan.Compilation;

/// <summary>A <c>format: synthetic</c> source: the generator's training split, seeded by the source or the recipe.</summary>
internal static class SyntheticSource
{
    public static IEnumerable<Conversation> Generate(SourceSettings source, int recipeSeed, CancellationToken cancellationToken)
    {
        var options = new SyntheticOptions
        {
            Count = source.Count,
            Seed = source.Seed ?? recipeSeed,
            Split = SyntheticSplit.Train,
        };
        foreach (var conversation in SyntheticCorpus.Generate(options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return conversation with { Provenance = conversation.Provenance with { Source = source.Name } };
        }
    }
}
