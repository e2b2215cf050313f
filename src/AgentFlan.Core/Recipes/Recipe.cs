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

    /// <summary>A built-in template name, or the absolute path of a template file (role markers in YAML).</summary>
    public string Template { get; init; } = "agentflan";

    public AlignmentSettings Alignment { get; init; } = new();

    public CapabilitySettings Capabilities { get; init; } = new();

    public NegativeSettings Negatives { get; init; } = new();

    public MixingSettings Mixing { get; init; } = new();

    public MaskingSettings Masking { get; init; } = new();

    public HeldOutSettings HeldOut { get; init; } = new();

    public EvaluationSettings Evaluation { get; init; } = new();

    /// <summary>The overrides applied on top of the file (recorded in the manifest).</summary>
    public IReadOnlyList<RecipeOverride> Overrides { get; init; } = [];

    /// <summary>The recipe file and the files it extends, nearest first.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    public SequenceSettings Sequence { get; init; } = new();

    public ModelSettings Model { get; init; } = new();

    public TrainingSettings Training { get; init; } = new();

    public string Directory => System.IO.Path.GetDirectoryName(FilePath)!;
}
