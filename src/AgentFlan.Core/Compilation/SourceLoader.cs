using AgentFlan.Conversations;
using AgentFlan.Diagnostics;
using AgentFlan.Recipes;

namespace AgentFlan.Compilation;

/// <summary>Streams the conversations of every source of a recipe, in recipe order.</summary>
public static class SourceLoader
{
    public static IEnumerable<Conversation> Load(Recipe recipe, CancellationToken cancellationToken)
    {
        foreach (var source in recipe.Sources)
        {
            foreach (var conversation in Load(recipe, source, cancellationToken))
            {
                yield return conversation;
            }
        }
    }

    private static IEnumerable<Conversation> Load(Recipe recipe, SourceSettings source, CancellationToken cancellationToken)
    {
        if (source.Format == "synthetic")
        {
            return SyntheticSource.Generate(source, recipe.Seed, cancellationToken);
        }

        throw new DiagnosticException(Diagnostic.Error(
            DiagnosticCodes.UnknownName,
            $"Source '{source.Name}': format '{source.Format}' has no reader in this build.",
            recipe.FilePath));
    }
}
