using AgentFlan.Training;

namespace AgentFlan.Trainer.Training;

/// <summary>
/// Learning rate of optimizer step <c>step</c> (0-based): linear warmup from lr/warmup to lr over
/// <c>warmup_steps</c>, then either constant or a half cosine from <c>learning_rate</c> down to
/// <c>min_learning_rate</c> at the last step (nanoGPT's schedule, with the paper's warmup-then-cosine).
/// </summary>
public static class LearningRateSchedule
{
    public const string Cosine = "cosine";
    public const string Constant = "constant";

    public static double At(TrainingSettings settings, int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < settings.WarmupSteps)
        {
            return settings.LearningRate * (step + 1) / settings.WarmupSteps;
        }

        if (settings.Schedule == Constant)
        {
            return settings.LearningRate;
        }

        int decaySteps = Math.Max(1, settings.Steps - 1 - settings.WarmupSteps);
        double progress = Math.Clamp((double)(step - settings.WarmupSteps) / decaySteps, 0, 1);
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * progress));
        return settings.MinLearningRate + ((settings.LearningRate - settings.MinLearningRate) * cosine);
    }
}
