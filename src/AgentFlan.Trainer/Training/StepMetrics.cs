using System.Text.Json;

namespace AgentFlan.Trainer.Training;

/// <summary>One line of metrics.jsonl (written every <c>log_every</c> steps, plus the first and last step).</summary>
public sealed record StepMetrics(
    int Step,
    double Loss,
    double Lr,
    double GradNorm,
    double TokensPerSecond,
    long SupervisedTokens,
    double ElapsedSeconds)
{
    private static readonly JsonSerializerOptions LineOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string ToJsonLine() => JsonSerializer.Serialize(this, LineOptions);

    /// <summary>The step of a metrics.jsonl line, or null for a line that is not one (a torn last line).</summary>
    public static int? StepOf(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("step", out var step) && step.TryGetInt32(out int value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
