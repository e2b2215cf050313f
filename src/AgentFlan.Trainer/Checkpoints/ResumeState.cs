using System.Text.Json;

namespace AgentFlan.Trainer.Checkpoints;

/// <summary>
/// state.json of a resume point: where the run stood after <see cref="Step"/> optimizer steps. The data
/// position needs no field of its own: it is a pure function of (seed, step) (<see cref="Data.DataOrder"/>).
/// Losses are kept whole (round-trip doubles) so a resumed run reports the same summary as an unbroken one.
/// </summary>
public sealed record ResumeState
{
    /// <summary>Optimizer steps completed; the resumed run continues with step index <c>Step</c> (0-based).</summary>
    public required int Step { get; init; }

    /// <summary>Identifies the job (settings + data) this state belongs to; another job never resumes from it.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>Total optimizer steps of the run (from training.steps or training.epochs).</summary>
    public required int TotalSteps { get; init; }

    public required IReadOnlyList<double> Losses { get; init; }

    public required long Tokens { get; init; }

    public required long SupervisedTokens { get; init; }

    public required double Seconds { get; init; }

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions) + "\n";

    public static ResumeState FromJson(string json) =>
        JsonSerializer.Deserialize<ResumeState>(json, JsonOptions) ?? throw new JsonException("state.json is empty.");
}
