using AgentFlan.Diagnostics;
using AgentFlan.Trainer.Data;
using AgentFlan.Training;

namespace AgentFlan.Trainer.Training;

/// <summary>
/// Checks a training job before anything expensive happens and reports every problem at once (AFB5001,
/// located at the job file), in the spirit of torchtune's ConfigError.
/// </summary>
public static class JobValidator
{
    /// <summary>The projections LoRA can wrap (Hugging Face's names).</summary>
    public static readonly IReadOnlyList<string> LoraTargets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    public static IReadOnlyList<Diagnostic> Validate(TrainingJob job, string jobPath)
    {
        var errors = new List<string>();
        var m = job.Model;
        var t = job.Training;

        if (m.Kind == "huggingface")
        {
            // The shape comes from the checkpoint's config.json; the model.* shape settings do not apply.
            Require(errors, !string.IsNullOrWhiteSpace(m.Path), "model.path must name a local Hugging Face checkpoint folder for model.kind 'huggingface'");
            Require(errors, m.Vocabulary == TokenVocabulary.FullKind, $"model.vocabulary must be 'full' for a Hugging Face checkpoint: its embedding rows are the tokenizer's ids (got '{m.Vocabulary}')");
        }
        else if (m.Kind != "tiny")
        {
            errors.Add($"model.kind '{m.Kind}' is unknown (expected 'tiny' or 'huggingface')");
        }

        Require(errors, m.Layers >= 1, $"model.layers must be at least 1 (got {m.Layers})");
        Require(errors, m.Dim >= 2, $"model.dim must be at least 2 (got {m.Dim})");
        Require(errors, m.Heads >= 1 && m.Dim % Math.Max(1, m.Heads) == 0, $"model.heads ({m.Heads}) must be at least 1 and divide model.dim ({m.Dim})");
        Require(errors, m.Heads < 1 || m.Dim / m.Heads % 2 == 0, $"the head size model.dim / model.heads ({m.Dim}/{m.Heads}) must be even for rotary embeddings");
        Require(errors, m.KvHeads >= 1 && m.Heads % Math.Max(1, m.KvHeads) == 0, $"model.kv_heads ({m.KvHeads}) must be at least 1 and divide model.heads ({m.Heads})");
        Require(errors, m.HiddenDim >= 0, $"model.hidden_dim must be 0 (Llama rule) or positive (got {m.HiddenDim})");
        Require(errors, m.RopeTheta > 0, $"model.rope_theta must be positive (got {m.RopeTheta})");
        Require(errors, m.NormEps > 0, $"model.norm_eps must be positive (got {m.NormEps})");
        Require(errors, m.Vocabulary is TokenVocabulary.CompactKind or TokenVocabulary.FullKind, $"model.vocabulary '{m.Vocabulary}' is unknown (expected 'compact' or 'full')");

        Require(errors, t.Method is "full" or "lora", $"training.method '{t.Method}' is unknown (expected 'full' or 'lora')");
        if (t.Method == "lora")
        {
            var l = t.Lora;
            Require(errors, l.Rank >= 1, $"training.lora.rank must be at least 1 (got {l.Rank})");
            Require(errors, l.Alpha > 0 && double.IsFinite(l.Alpha), $"training.lora.alpha must be positive (got {l.Alpha})");
            Require(errors, l.Dropout >= 0 && l.Dropout < 1, $"training.lora.dropout must lie in [0, 1) (got {l.Dropout})");
            Require(errors, l.Targets.Count > 0, "training.lora.targets must name at least one projection");
            foreach (var target in l.Targets.Where(x => !LoraTargets.Contains(x)))
            {
                errors.Add($"training.lora.targets: '{target}' is unknown (expected {string.Join(", ", LoraTargets)})");
            }
        }

        Require(errors, t.Device is "cpu" or "cuda", $"training.device '{t.Device}' is unknown (expected 'cpu' or 'cuda')");
        Require(errors, t.Steps >= 1, $"training.steps must be at least 1 (got {t.Steps})");
        Require(errors, t.Epochs >= 0 && double.IsFinite(t.Epochs), $"training.epochs must be 0 (use training.steps) or positive (got {t.Epochs})");
        Require(errors, t.BatchSize >= 1, $"training.batch_size must be at least 1 (got {t.BatchSize})");
        Require(errors, t.GradientAccumulation >= 1, $"training.gradient_accumulation must be at least 1 (got {t.GradientAccumulation})");
        Require(errors, t.LearningRate > 0 && double.IsFinite(t.LearningRate), $"training.learning_rate must be positive (got {t.LearningRate})");
        Require(errors, t.MinLearningRate >= 0 && t.MinLearningRate <= t.LearningRate, $"training.min_learning_rate must lie in [0, learning_rate] (got {t.MinLearningRate})");
        Require(errors, t.WarmupSteps >= 0, $"training.warmup_steps must not be negative (got {t.WarmupSteps})");
        Require(errors, t.Schedule is LearningRateSchedule.Cosine or LearningRateSchedule.Constant, $"training.schedule '{t.Schedule}' is unknown (expected 'cosine' or 'constant')");
        Require(errors, t.WeightDecay >= 0, $"training.weight_decay must not be negative (got {t.WeightDecay})");
        Require(errors, t.GradientClip >= 0, $"training.gradient_clip must not be negative (0 turns clipping off; got {t.GradientClip})");
        Require(errors, t.LogEvery >= 1, $"training.log_every must be at least 1 (got {t.LogEvery})");
        Require(errors, !string.IsNullOrWhiteSpace(job.OutputDirectory), "output_directory must be set");

        return [.. errors.Select(e => Diagnostic.Error(DiagnosticCodes.TrainingConfigInvalid, $"Invalid training job: {e}.", jobPath))];
    }

    private static void Require(List<string> errors, bool condition, string message)
    {
        if (!condition)
        {
            errors.Add(message);
        }
    }
}
