using AgentFlan.Training;

namespace AgentFlan.Recipes;

/// <summary>
/// A validated experiment: where data comes from, how it becomes a training set, and how to train on it.
/// Produced only by <see cref="RecipeLoader"/>, which guarantees every value is in range and every file exists.
/// </summary>
public sealed record Recipe
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>Absolute path of the recipe file; relative paths inside it resolve against its folder.</summary>
    public required string FilePath { get; init; }

    public int Seed { get; init; } = 1234;

    public required IReadOnlyList<SourceSettings> Sources { get; init; }

    public TokenizerSettings Tokenizer { get; init; } = new();

    public string Template { get; init; } = "agentflan";

    public SequenceSettings Sequence { get; init; } = new();

    public ModelSettings Model { get; init; } = new();

    public TrainingSettings Training { get; init; } = new();

    public string Directory => System.IO.Path.GetDirectoryName(FilePath)!;
}
