using System.Diagnostics;
using AgentFlan.Diagnostics;
using AgentFlan.IO;
using AgentFlan.Shards;
using AgentFlan.Trainer.Checkpoints;
using AgentFlan.Trainer.Data;
using AgentFlan.Trainer.Lora;
using AgentFlan.Trainer.Models;
using AgentFlan.Trainer.Training;
using AgentFlan.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AgentFlan.Trainer.Recipes;

/// <summary>
/// Fine-tuning of a Llama-family decoder on a compiled AgentFlan dataset: every weight (<c>full</c>) or
/// low-rank adapters on chosen projections (<c>lora</c>, base weights frozen).
/// <list type="bullet">
/// <item>Model: <c>tiny</c> (from scratch, seeded init) or <c>huggingface</c> (a local checkpoint folder,
/// safetensors only; <see cref="HuggingFaceCheckpoint"/>), whose vocabulary is always <c>full</c>.</item>
/// <item>Export: checkpoint/ holds the (merged, for LoRA) weights under Hugging Face names with config.json;
/// LoRA adds checkpoint/adapter/ in PEFT's layout.</item>
/// <item>Vocabulary: <c>compact</c> (ids seen in the shards) or <c>full</c> (the tokenizer's); see <see cref="TokenVocabulary"/>.</item>
/// <item>Data: rows in a seeded per-epoch permutation (<see cref="DataOrder"/>); batch_size rows per micro-batch,
/// gradient_accumulation micro-batches per optimizer step.</item>
/// <item>Loss: cross-entropy of supervised next tokens, summed over the whole accumulated step and divided by
/// that step's supervised-token count, so every supervised token weighs the same however the rows were
/// packed or split into micro-batches (a per-row mean would favour short answers).</item>
/// <item>Optimiser: AdamW (β = 0.9, 0.95; decay only on matrices), warmup + cosine or constant, gradient
/// clipping (0 = off; the norm is logged either way).</item>
/// <item>Length: training.steps optimizer steps, or with training.epochs &gt; 0 that many passes over the rows
/// (<see cref="TrainingPlan"/>).</item>
/// <item>Resume: every <see cref="CheckpointEvery"/> steps and at the last step a resume point is written
/// (<see cref="ResumeStore"/>); a run of the same job (same settings and data) that finds one continues
/// after it, and its losses are the ones an unbroken run would have logged.</item>
/// <item>Outputs in output_directory: metrics.jsonl, resume/, checkpoint/, and summary.json last.</item>
/// </list>
/// A step whose micro-batches hold no supervised token is skipped (logged with loss 0). A NaN or infinite
/// loss or gradient stops the run with AFB5002.
/// </summary>
public sealed class Finetune : IDisposable
{
    public const string MetricsFile = "metrics.jsonl";
    public const string SummaryFile = "summary.json";

    /// <summary>The LoRA export's folder inside checkpoint/ (PEFT's adapter layout).</summary>
    public const string AdapterFolder = "adapter";

    private const string HuggingFaceKind = "huggingface";
    private const string LoraMethod = "lora";

    /// <summary>
    /// Steps between resume points. Not a recipe setting (the schema has none): 50 steps bounds the work a
    /// kill loses to a few minutes of the tiny model on 2 cores while the writes stay a small share of the run.
    /// </summary>
    public const int DefaultCheckpointEvery = 50;

    private readonly TrainingJob _job;
    private readonly string _jobPath;
    private readonly TextWriter _progress;
    private readonly List<double> _losses = [];
    private TrainingData? _data;
    private DataOrder? _order;
    private TokenVocabulary? _vocabulary;
    private LlamaForCausalLM? _model;
    private AdamW? _optimizer;
    private Device _device = CPU;
    private TrainingSettings _settings;
    private string _fingerprint = "";
    private int _startStep;
    private long _tokens;
    private long _supervisedTokens;
    private double _seconds;

    public Finetune(TrainingJob job, string jobPath, TextWriter progress)
    {
        _job = job;
        _jobPath = jobPath;
        _progress = progress;
        Seed = job.Training.Seed ?? job.Seed;
        _settings = job.Training;
    }

    public int Seed { get; }

    /// <summary>Steps between resume points (<see cref="DefaultCheckpointEvery"/>).</summary>
    public int CheckpointEvery { get; init; } = DefaultCheckpointEvery;

    /// <summary>Tests: stop after this many steps as if the process had been killed (no final resume point).</summary>
    internal int? StopAfterStep { get; init; }

    /// <summary>The optimizer steps of the run (training.steps, or derived from training.epochs).</summary>
    public int TotalSteps => _settings.Steps;

    /// <summary>The step this run started from: 0, or the step of the resume point it continued.</summary>
    public int StartStep => _startStep;

    public IReadOnlyList<double> Losses => _losses;

    public LlamaForCausalLM Model => _model ?? throw new InvalidOperationException("Call Setup first.");

    public TokenVocabulary Vocabulary => _vocabulary ?? throw new InvalidOperationException("Call Setup first.");

    private string OutputDirectory => Path.GetFullPath(_job.OutputDirectory);

    /// <summary>Runs a whole job: setup, train, checkpoint, summary (last). Throws DiagnosticException on failure.</summary>
    public static TrainingSummary Run(TrainingJob job, string jobPath, TextWriter progress)
    {
        var recipe = new Finetune(job, jobPath, progress);
        try
        {
            recipe.Setup();
            recipe.Train();
            recipe.SaveCheckpoint();
            return recipe.WriteSummary();
        }
        finally
        {
            recipe.Cleanup();
        }
    }

    public void Setup()
    {
        // First of all: a stale summary would tell the build that this (possibly failing) run succeeded.
        if (!string.IsNullOrWhiteSpace(_job.OutputDirectory) && File.Exists(Path.Combine(OutputDirectory, SummaryFile)))
        {
            File.Delete(Path.Combine(OutputDirectory, SummaryFile));
        }

        var problems = JobValidator.Validate(_job, _jobPath);
        if (problems.Count > 0)
        {
            throw new DiagnosticException(problems);
        }

        _device = SelectDevice(_job.Training.Device);
        Directory.CreateDirectory(OutputDirectory);

        var pretrained = _job.Model.Kind == HuggingFaceKind ? HuggingFaceCheckpoint.ReadConfig(_job.Model.Path!) : null;
        _data = TrainingData.Open(_job.Manifest, _jobPath);
        _vocabulary = BuildVocabulary(_data, pretrained);
        _order = new DataOrder(_data.RowCount, Seed);
        _settings = _job.Training with { Steps = TrainingPlan.Steps(_job.Training, _data.RowCount) };

        // The seed drives the tiny model's initialisation and LoRA's A matrices and dropout.
        manual_seed(Seed);
        _model = pretrained is null
            ? new LlamaForCausalLM(LlamaConfig.FromSettings(_job.Model, _vocabulary.Size, _data.SequenceLength, _vocabulary.ToModel(_vocabulary.EndOfText)))
            : HuggingFaceCheckpoint.Load(_job.Model.Path!);
        var config = _model.Config;
        if (_job.Training.Method == LoraMethod)
        {
            LoraAdapters.Attach(_model, _job.Training.Lora);
        }

        _model.to(_device);

        // Only trainable weights reach the optimizer: all of them, or LoRA's adapters. No decay on norm weights.
        var trainable = _model.parameters().Where(p => p.requires_grad).ToList();
        var t = _settings;
        var groups = new[]
            {
                new AdamW.ParamGroup(trainable.Where(p => p.dim() >= 2), lr: t.LearningRate, beta1: 0.9, beta2: 0.95, eps: 1e-8, weight_decay: t.WeightDecay),
                new AdamW.ParamGroup(trainable.Where(p => p.dim() < 2), lr: t.LearningRate, beta1: 0.9, beta2: 0.95, eps: 1e-8, weight_decay: 0),
            }.Where(g => g.Parameters.Any());
        _optimizer = optim.AdamW(groups, lr: t.LearningRate);
        Resume();

        _progress.WriteLine(FormattableString.Invariant(
            $"AgentFlan.Trainer: {_job.Recipe}: llama {config.NumHiddenLayers}x{config.HiddenSize} (heads {config.NumAttentionHeads}/{config.NumKeyValueHeads}, ffn {config.IntermediateSize}), {_vocabulary.Kind} vocabulary {_vocabulary.Size} of {_vocabulary.TokenizerVocabularySize}, {_model.ParameterCount:N0} parameters ({trainable.Sum(p => p.numel()):N0} trained, {_job.Training.Method}); {_data.RowCount} rows of {_data.SequenceLength}; {t.Steps} steps{(_job.Training.Epochs > 0 ? $" ({_job.Training.Epochs:0.##} epochs)" : "")} x {t.BatchSize} rows x {t.GradientAccumulation} accumulation on {_device.type.ToString().ToLowerInvariant()}, seed {Seed}"));
        if (_startStep > 0)
        {
            _progress.WriteLine(FormattableString.Invariant($"resuming after step {_startStep}/{t.Steps} from {Path.Combine(OutputDirectory, ResumeStore.FolderName)}"));
        }
    }

    public void Train()
    {
        var model = Model;
        var t = _settings;
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        double maxNorm = t.GradientClip > 0 ? t.GradientClip : double.PositiveInfinity;
        using var metrics = new StreamWriter(Path.Combine(OutputDirectory, MetricsFile), append: true);
        var clock = Stopwatch.StartNew();
        double startSeconds = _seconds;
        double lastLogSeconds = _seconds;
        long lastLogTokens = _tokens;
        model.train();

        for (int step = _startStep; step < t.Steps; step++)
        {
            double lr = LearningRateSchedule.At(t, step);
            foreach (var group in _optimizer!.ParamGroups)
            {
                group.LearningRate = lr;
            }

            var microBatches = Enumerable.Range(0, t.GradientAccumulation).Select(m => ReadMicroBatch(step, m)).ToList();
            int supervised = microBatches.Sum(b => b.SupervisedTokens);
            using var stepScope = NewDisposeScope();
            _optimizer.zero_grad();
            double loss = 0, gradNorm = 0;
            if (supervised > 0)
            {
                foreach (var batch in microBatches)
                {
                    using var microScope = NewDisposeScope();
                    var tensors = batch.ToTensors(_device);
                    var part = NextTokenLoss.PerToken(model, tensors).sum() / supervised;
                    part.backward();
                    loss += part.item<float>();
                }

                gradNorm = nn.utils.clip_grad_norm_(parameters, maxNorm);
                if (!double.IsFinite(loss) || !double.IsFinite(gradNorm))
                {
                    throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.TrainingDiverged, FormattableString.Invariant(
                        $"Training diverged at step {step + 1}: loss {loss}, gradient norm {gradNorm} (learning rate {lr:0.0e+00}). Lower training.learning_rate, raise training.warmup_steps, or set training.gradient_clip."), _jobPath));
                }

                _optimizer.step();
            }

            _losses.Add(loss);
            _tokens += (long)microBatches.Sum(b => b.Rows) * microBatches[0].Length;
            _supervisedTokens += supervised;
            _seconds = startSeconds + clock.Elapsed.TotalSeconds;
            if (step == 0 || (step + 1) % t.LogEvery == 0 || step == t.Steps - 1)
            {
                double now = _seconds;
                double tokensPerSecond = (_tokens - lastLogTokens) / Math.Max(now - lastLogSeconds, 1e-9);
                (lastLogSeconds, lastLogTokens) = (now, _tokens);
                var line = new StepMetrics(step + 1, loss, lr, gradNorm, tokensPerSecond, supervised, now);
                metrics.WriteLine(line.ToJsonLine());
                metrics.Flush();
                _progress.WriteLine(FormattableString.Invariant(
                    $"step {step + 1}/{t.Steps} loss {loss:F3} lr {lr:0.0e+00} grad_norm {gradNorm:F2} tok/s {tokensPerSecond:F0}"));
                _progress.Flush();
            }

            if ((step + 1) % CheckpointEvery == 0 || step == t.Steps - 1)
            {
                ResumeStore.Save(OutputDirectory, CurrentState(step + 1), model, _optimizer);
                LossChart.Write(Path.Combine(OutputDirectory, LossChart.FileName), _losses, $"{_job.Recipe}: training loss");
            }

            if (step + 1 == StopAfterStep)
            {
                return;
            }
        }
    }

    public string SaveCheckpoint()
    {
        var path = _job.Training.Method == LoraMethod
            ? CheckpointStore.Save(OutputDirectory, Model, Vocabulary, folder => LoraAdapters.SaveAdapter(Path.Combine(folder, AdapterFolder), Model, _job.Training.Lora, _job.Model.Path))
            : CheckpointStore.Save(OutputDirectory, Model, Vocabulary);
        _progress.WriteLine($"checkpoint {path}");
        return path;
    }

    /// <summary>Writes summary.json atomically; call last, after the checkpoint.</summary>
    public TrainingSummary WriteSummary()
    {
        var summary = new TrainingSummary
        {
            Recipe = _job.Recipe,
            Seed = Seed,
            Steps = _losses.Count,
            FirstLoss = _losses.Count > 0 ? _losses[0] : double.NaN,
            FinalLoss = _losses.Count > 0 ? _losses[^1] : double.NaN,
            Tokens = _tokens,
            SupervisedTokens = _supervisedTokens,
            Seconds = Math.Round(_seconds, 3),
            TokensPerSecond = Math.Round(_tokens / Math.Max(_seconds, 1e-9), 1),
            Parameters = Model.ParameterCount,
            Vocabulary = Vocabulary.Kind,
            VocabularySize = Vocabulary.Size,
            Device = _device.type.ToString().ToLowerInvariant(),
        };
        AtomicFile.WriteAllText(Path.Combine(OutputDirectory, SummaryFile), summary.ToJson());
        _progress.WriteLine(FormattableString.Invariant(
            $"done: {summary.Steps} steps, loss {summary.FirstLoss:F3} -> {summary.FinalLoss:F3}, {summary.Tokens:N0} tokens in {summary.Seconds:F1} s ({summary.TokensPerSecond:F0} tok/s)"));
        return summary;
    }

    private ResumeState CurrentState(int completedSteps) => new()
    {
        Step = completedSteps,
        Fingerprint = _fingerprint,
        TotalSteps = _settings.Steps,
        Losses = [.. _losses],
        Tokens = _tokens,
        SupervisedTokens = _supervisedTokens,
        Seconds = _seconds,
    };

    /// <summary>
    /// Continues from the latest resume point of this very job, if any: weights, optimizer, RNG and counters
    /// come back, metrics.jsonl is cut back to the steps before it (a killed run may have logged later ones),
    /// and the data order needs nothing, being a function of (seed, step). Otherwise the run starts afresh.
    /// </summary>
    private void Resume()
    {
        var metricsPath = Path.Combine(OutputDirectory, MetricsFile);
        _fingerprint = ResumeStore.Fingerprint(_job, _job.Manifest);
        var latest = ResumeStore.FindLatest(OutputDirectory, _fingerprint);
        if (latest is not { } point)
        {
            File.Delete(metricsPath);
            return;
        }

        ResumeStore.Load(point.Path, Model, _optimizer!);
        var state = point.State;
        (_startStep, _tokens, _supervisedTokens, _seconds) = (state.Step, state.Tokens, state.SupervisedTokens, state.Seconds);
        _losses.Clear();
        _losses.AddRange(state.Losses);
        var kept = File.Exists(metricsPath)
            ? File.ReadLines(metricsPath).Where(line => StepMetrics.StepOf(line) is { } s && s <= state.Step).ToList()
            : [];
        AtomicFile.WriteAllText(metricsPath, string.Concat(kept.Select(line => line + "\n")));
    }

    /// <summary>Releases the native memory (model, optimizer state) and unmaps the shards.</summary>
    public void Cleanup()
    {
        _optimizer?.Dispose();
        _model?.Dispose();
        _data?.Dispose();
        (_optimizer, _model, _data) = (null, null, null);
    }

    public void Dispose() => Cleanup();

    private PackedBatch ReadMicroBatch(int step, int micro)
    {
        var t = _settings;
        long first = (((long)step * t.GradientAccumulation) + micro) * t.BatchSize;
        var rows = new PackedRow[t.BatchSize];
        var numbers = new long[t.BatchSize];
        for (int i = 0; i < rows.Length; i++)
        {
            numbers[i] = _order!.RowAt(first + i);
            rows[i] = _data!.ReadRow(numbers[i]);
        }

        try
        {
            return PackedBatch.Create(rows, Vocabulary);
        }
        catch (ArgumentException e)
        {
            // Documents outside their row or overlapping: the shard is damaged, not the trainer.
            throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.ShardInvalid,
                $"Rows {string.Join(", ", numbers)} of the dataset are invalid: {e.Message}", _data!.ManifestPath));
        }
    }

    private TokenVocabulary BuildVocabulary(TrainingData data, LlamaConfig? pretrained)
    {
        var tokenizer = data.Manifest.Tokenizer;
        var ids = data.DistinctTokenIds();
        if (ids.Count > 0 && (ids.Min < 0 || ids.Max >= tokenizer.VocabularySize))
        {
            throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.ShardInvalid,
                $"The shards hold token id {ids.Max}, outside the tokenizer's vocabulary of {tokenizer.VocabularySize} ids; recompile the recipe.", data.ManifestPath));
        }

        if ((uint)tokenizer.EndOfText >= (uint)tokenizer.VocabularySize)
        {
            throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.TrainingDataMissing,
                $"The manifest's end-of-text id {tokenizer.EndOfText} lies outside its vocabulary of {tokenizer.VocabularySize} ids.", data.ManifestPath));
        }

        if (pretrained is not null)
        {
            // A loaded checkpoint's rows are the tokenizer's ids: the vocabulary is its own, whole.
            if (pretrained.VocabSize < tokenizer.VocabularySize)
            {
                throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.TrainingConfigInvalid,
                    $"The checkpoint '{_job.Model.Path}' has vocab_size {pretrained.VocabSize}, fewer rows than the recipe's tokenizer '{tokenizer.Name}' ({tokenizer.VocabularySize} ids): compile the data with the checkpoint's own tokenizer.", _jobPath));
            }

            return TokenVocabulary.Full(pretrained.VocabSize, tokenizer.EndOfText);
        }

        return _job.Model.Vocabulary == TokenVocabulary.FullKind
            ? TokenVocabulary.Full(tokenizer.VocabularySize, tokenizer.EndOfText)
            : TokenVocabulary.Compact(ids, tokenizer.VocabularySize, tokenizer.EndOfText);
    }

    private Device SelectDevice(string name)
    {
        if (name == "cuda" && !cuda.is_available())
        {
            throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.TrainingConfigInvalid,
                "training.device is 'cuda' but CUDA is not available to this trainer: it was built with the CPU LibTorch (AgentFlanTorchBackend=cpu), or no GPU and driver are present.", _jobPath));
        }

        return name == "cuda" ? CUDA : CPU;
    }
}
