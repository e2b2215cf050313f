using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentFlan.Training;

/// <summary>
/// Everything the trainer process needs, as one JSON file: the build writes it (only when it changes, so
/// it doubles as MSBuild's incrementality stamp for Train) and passes its path to AgentFlan.Trainer.
/// Paths inside are absolute; the job file is a build intermediate, not a lockfile.
/// </summary>
public sealed record TrainingJob
{
    public required string Recipe { get; init; }

    public required int Seed { get; init; }

    /// <summary>The dataset manifest written by the recipe compile.</summary>
    public required string Manifest { get; init; }

    /// <summary>Folder for the checkpoint, metrics and summary.</summary>
    public required string OutputDirectory { get; init; }

    public ModelSettings Model { get; init; } = new();

    public TrainingSettings Training { get; init; } = new();

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions) + "\n";

    public static TrainingJob FromJson(string json) =>
        JsonSerializer.Deserialize<TrainingJob>(json, JsonOptions) ?? throw new JsonException("The training job is empty.");
}
