using System.Diagnostics;
using System.Globalization;
using AgentFlan.Compilation;
using AgentFlan.Shards;
using AgentFlan.Trainer.Recipes;
using AgentFlan.Training;
using static TorchSharp.torch;

// Training tokens/s and peak memory of the trainer's own loop (Finetune) on synthetic rows: every token is
// supervised, so the output layer runs over every position, as in a plain PyTorch language-model step.
// Sizes follow issue 9's PyTorch eager reference (2 threads): "tiny" 2.6M parameters, 8×128 tokens a step;
// "30m" vocab 8192, d 512, 8 layers, 8 heads, 4×256 tokens a step.
var which = args.Length > 0 ? args[0] : "all";
int steps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
int threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
set_num_threads(threads);

var configs = new (string Name, ModelSettings Model, int Batch, int Length, int Steps)[]
{
    ("tiny", new ModelSettings { Layers = 2, Dim = 128, Heads = 4, KvHeads = 4, TieEmbeddings = false, Vocabulary = "full" }, 8, 128, 40),
    ("30m", new ModelSettings { Layers = 8, Dim = 512, Heads = 8, KvHeads = 8, TieEmbeddings = false, Vocabulary = "full" }, 4, 256, 12),
};

Console.WriteLine(FormattableString.Invariant($"TrainBench: {threads} threads, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
foreach (var (name, model, batch, length, defaultSteps) in configs.Where(c => which == "all" || c.Name == which))
{
    var folder = Path.Combine(Path.GetTempPath(), $"trainbench-{name}-{Environment.ProcessId}");
    try
    {
        var job = new TrainingJob
        {
            Recipe = $"bench-{name}",
            Seed = 1,
            Manifest = WriteDataset(folder, rows: 64, length),
            OutputDirectory = Path.Combine(folder, "out"),
            Model = model,
            Training = new TrainingSettings { Steps = steps > 0 ? steps : defaultSteps, BatchSize = batch, LearningRate = 1e-3, MinLearningRate = 1e-4, WarmupSteps = 2, LogEvery = 1000 },
        };
        using var recipe = new Finetune(job, Path.Combine(folder, "job.json"), TextWriter.Null);
        recipe.Setup();
        var clock = Stopwatch.StartNew();
        recipe.Train();
        double seconds = clock.Elapsed.TotalSeconds;
        double tokens = (double)job.Training.Steps * batch * length;
        Console.WriteLine(FormattableString.Invariant(
            $"{name}: {recipe.Model.ParameterCount / 1e6:F1}M parameters, {batch}x{length} tokens/step, {job.Training.Steps} steps in {seconds:F1} s: {tokens / seconds:F0} tokens/s, loss {recipe.Losses[0]:F3} -> {recipe.Losses[^1]:F3}, peak RSS {PeakRssMegabytes():F0} MB"));
    }
    finally
    {
        Directory.Delete(folder, recursive: true);
    }
}

// Peak resident set of this process so far (VmHWM): the models run one after the other, so the larger
// model's figure includes the smaller one's high-water mark only if that was higher.
static double PeakRssMegabytes() =>
    File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).FirstOrDefault();

// Rows of one document each, over an 8,192-id vocabulary: a seeded random walk (next id = previous + a small
// step), learnable but not trivially.
static string WriteDataset(string folder, int rows, int length)
{
    const int vocabulary = 8192;
    var random = new Random(3);
    var packed = new List<PackedRow>();
    for (int r = 0; r < rows; r++)
    {
        var tokens = new int[length];
        tokens[0] = random.Next(vocabulary);
        for (int i = 1; i < length; i++)
        {
            tokens[i] = (tokens[i - 1] + random.Next(1, 4)) % vocabulary;
        }

        packed.Add(new PackedRow(tokens, [.. Enumerable.Repeat((byte)1, length)], [(0, length, 0)]));
    }

    Directory.CreateDirectory(Path.Combine(folder, "data"));
    var shard = "data/train-00000" + ShardFormat.Extension;
    ShardWriter.Write(Path.Combine(folder, shard), length, 2, packed);
    var manifest = new DatasetManifest
    {
        Recipe = "bench",
        CompilerVersion = "bench",
        Seed = 3,
        SettingsHash = "bench",
        Tokenizer = new TokenizerInfo("bench", "bench", "bench", vocabulary, vocabulary - 1),
        Template = "bench",
        SequenceLength = length,
        Shards = [new ShardInfo(shard, rows, rows, (long)rows * length, (long)rows * length, "bench", ShardFormat.MaskPathOf(shard), "bench")],
        Statistics = new DatasetStatistics(),
    };
    var path = Path.Combine(folder, "manifest.json");
    File.WriteAllText(path, manifest.ToJson());
    return path;
}
