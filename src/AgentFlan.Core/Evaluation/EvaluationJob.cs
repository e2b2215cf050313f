using System.Text.Json;
using System.Text.Json.Serialization;
using AgentFlan.Recipes;

namespace AgentFlan.Evaluation;

/// <summary>
/// What the trainer process needs to evaluate one trained recipe, as one JSON file written by the build (only when
/// its content changes, so it is also the Evaluate target's incrementality stamp). Paths are absolute.
/// </summary>
public sealed record EvaluationJob
{
    public required string Recipe { get; init; }

    /// <summary>Seed of the held-out generator (the recipe's seed): the same recipe always meets the same cases.</summary>
    public required int Seed { get; init; }

    /// <summary>The checkpoint folder written by Train.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>The training set's manifest: its shards are what the cases are checked against (decontamination).</summary>
    public required string Manifest { get; init; }

    /// <summary>Folder for results.json and report.md.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>A built-in template name or a template file's absolute path.</summary>
    public required string Template { get; init; }

    public TokenizerSettings Tokenizer { get; init; } = new();

    public EvaluationSettings Evaluation { get; init; } = new();

    /// <summary>The recipe's masking, as training applied it (the loss suite renders held-out samples the same way).</summary>
    public MaskingSettings Masking { get; init; } = new();

    /// <summary>The recipe's <c>alignment.react_fraction</c>: which held-out trajectories the loss suite renders in ReAct form.</summary>
    public double ReactFraction { get; init; } = new AlignmentSettings().ReactFraction;

    /// <summary>The recipe's <c>sequence.length</c>: held-out samples are cut to it for the loss suite (0: the model's positions).</summary>
    public int SequenceLength { get; init; }

    public IReadOnlyList<string> ReactKeywords { get; init; } = HallucinationKeywords.DefaultReact;

    public IReadOnlyList<string> GeneralPhrases { get; init; } = HallucinationKeywords.DefaultGeneral;

    /// <summary>Prompts per generation batch.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>How many responses scored as hallucinations the report quotes.</summary>
    public int Examples { get; init; } = 8;

    [JsonIgnore]
    public HallucinationKeywords Keywords => new(ReactKeywords, GeneralPhrases);

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions) + "\n";

    public static EvaluationJob FromJson(string json) =>
        JsonSerializer.Deserialize<EvaluationJob>(json, JsonOptions) ?? throw new JsonException("The evaluation job is empty.");
}
