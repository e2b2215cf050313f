using System.Text.Json;

namespace AgentFlan.Evaluation;

/// <summary>
/// <c>-t:Experiment</c>'s plan, written by the build: recipes to train and evaluate, each with every seed in
/// <see cref="Seeds"/>, into <c>OutputDirectory/&lt;recipe&gt;/seed-&lt;s&gt;/</c>, then one comparison table.
/// </summary>
public sealed record ExperimentPlan
{
    public required string OutputDirectory { get; init; }

    /// <summary>Training seeds (model initialisation and data order); the data and the held-out cases stay the same.</summary>
    public required IReadOnlyList<int> Seeds { get; init; }

    /// <summary>Overrides each recipe's training.steps when above 0.</summary>
    public int TrainingSteps { get; init; }

    /// <summary>Overrides each recipe's evaluation.samples when above 0.</summary>
    public int EvaluationSamples { get; init; }

    public required IReadOnlyList<ExperimentRun> Runs { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, EvaluationJob.JsonOptions) + "\n";

    public static ExperimentPlan FromJson(string json) =>
        JsonSerializer.Deserialize<ExperimentPlan>(json, EvaluationJob.JsonOptions) ?? throw new JsonException("The experiment plan is empty.");
}

/// <summary>One recipe of an experiment: its training job and evaluation job files (as the build wrote them).</summary>
public sealed record ExperimentRun(string Recipe, string TrainJob, string EvaluationJob);
