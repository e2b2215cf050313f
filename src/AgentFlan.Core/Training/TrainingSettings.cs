namespace AgentFlan.Training;

/// <summary>Optimisation settings. Defaults are the embedded tiny model's, not the paper's 7B run.</summary>
public sealed record TrainingSettings
{
    public string Device { get; init; } = "cpu";

    public int Steps { get; init; } = 150;

    /// <summary>When above 0, train this many passes over the data instead of a fixed step count.</summary>
    public double Epochs { get; init; }

    /// <summary><c>full</c> fine-tuning or <c>lora</c> adapters.</summary>
    public string Method { get; init; } = "full";

    public LoraSettings Lora { get; init; } = new();

    public int BatchSize { get; init; } = 8;

    public int GradientAccumulation { get; init; } = 1;

    public double LearningRate { get; init; } = 3e-3;

    public double MinLearningRate { get; init; } = 3e-4;

    public int WarmupSteps { get; init; } = 10;

    /// <summary><c>cosine</c> (warmup then cosine decay to the minimum) or <c>constant</c>.</summary>
    public string Schedule { get; init; } = "cosine";

    public double WeightDecay { get; init; }

    public double GradientClip { get; init; } = 1.0;

    public int LogEvery { get; init; } = 10;

    /// <summary>Seed of model initialisation and data order; the recipe's seed when not set.</summary>
    public int? Seed { get; init; }
}
