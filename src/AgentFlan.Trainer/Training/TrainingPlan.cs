using AgentFlan.Training;

namespace AgentFlan.Trainer.Training;

/// <summary>How many optimizer steps a run takes.</summary>
public static class TrainingPlan
{
    /// <summary>
    /// <c>training.steps</c>, or with <c>training.epochs</c> &gt; 0 enough steps for that many passes over the
    /// rows: ⌈epochs · rows / (batch_size · gradient_accumulation)⌉, at least 1. A fractional last pass is
    /// allowed (epochs 1.5 = one pass plus half of the next, in its own shuffled order).
    /// </summary>
    public static int Steps(TrainingSettings settings, long rows)
    {
        if (settings.Epochs <= 0)
        {
            return settings.Steps;
        }

        double rowsPerStep = (double)settings.BatchSize * settings.GradientAccumulation;
        double steps = Math.Ceiling(settings.Epochs * rows / rowsPerStep);
        return (int)Math.Clamp(steps, 1, int.MaxValue);
    }
}
