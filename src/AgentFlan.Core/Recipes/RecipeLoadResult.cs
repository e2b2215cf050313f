using AgentFlan.Diagnostics;

namespace AgentFlan.Recipes;

/// <summary>The recipe when it is valid, and every diagnostic found either way.</summary>
public sealed record RecipeLoadResult(Recipe? Recipe, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Succeeded => Recipe is not null;
}
