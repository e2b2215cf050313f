using System.Text.Json;

namespace AgentFlan.Evaluation;

/// <summary>results.json: every case's response and flags, the suite scores, and how the run went.</summary>
public sealed record EvaluationResults
{
    public required string Recipe { get; init; }

    /// <summary>The training seed of the evaluated checkpoint.</summary>
    public int TrainingSeed { get; init; }

    /// <summary>The held-out generator's seed.</summary>
    public int Seed { get; init; }

    public required IReadOnlyList<SuiteScores> Suites { get; init; }

    public required IReadOnlyList<CaseResult> Cases { get; init; }

    public required Decontamination Decontamination { get; init; }

    /// <summary>The loss suite's result (held-out cross-entropy per capability, kind and set); null when it did not run.</summary>
    public LossScores? Loss { get; init; }

    /// <summary>Prompt tokens the compact vocabulary did not hold, re-encoded character by character (or dropped).</summary>
    public int PromptTokensRemapped { get; init; }

    public int PromptTokensDropped { get; init; }

    public double Seconds { get; init; }

    public int GeneratedTokens { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, EvaluationJob.JsonOptions) + "\n";

    public static EvaluationResults FromJson(string json) =>
        JsonSerializer.Deserialize<EvaluationResults>(json, EvaluationJob.JsonOptions) ?? throw new JsonException("results.json is empty.");

    public double Score(string suite, string name) =>
        Suites.FirstOrDefault(s => s.Suite == suite)?.Scores.GetValueOrDefault(name, double.NaN) ?? double.NaN;
}
