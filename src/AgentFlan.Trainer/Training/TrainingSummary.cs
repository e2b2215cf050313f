using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentFlan.Trainer.Training;

/// <summary>
/// summary.json: written last and atomically, after the checkpoint. The build uses it as the Train
/// target's output, so its presence means "this run finished"; a failed run leaves none.
/// </summary>
public sealed record TrainingSummary
{
    public required string Recipe { get; init; }

    public required int Seed { get; init; }

    public required int Steps { get; init; }

    public required double FirstLoss { get; init; }

    public required double FinalLoss { get; init; }

    /// <summary>Tokens fed to the model (rows × sequence length, padding included).</summary>
    public required long Tokens { get; init; }

    /// <summary>Tokens that contributed to the loss.</summary>
    public required long SupervisedTokens { get; init; }

    public required double Seconds { get; init; }

    public required double TokensPerSecond { get; init; }

    public required long Parameters { get; init; }

    public required string Vocabulary { get; init; }

    public required int VocabularySize { get; init; }

    public required string Device { get; init; }

    /// <summary>The checkpoint folder, relative to summary.json.</summary>
    public string Checkpoint { get; init; } = "checkpoint";

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions) + "\n";

    public static TrainingSummary FromJson(string json) =>
        JsonSerializer.Deserialize<TrainingSummary>(json, JsonOptions) ?? throw new JsonException("summary.json is empty.");
}
