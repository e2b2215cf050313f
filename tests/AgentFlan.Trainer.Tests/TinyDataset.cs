using AgentFlan.Compilation;
using AgentFlan.Shards;
using AgentFlan.Training;

namespace AgentFlan.Trainer.Tests;

/// <summary>
/// Writes a small compiled dataset (one shard + manifest.json) the way the recipe compiler would: packed rows
/// of documents, each a "prompt" (mask 0) followed by an "answer" (mask 1) that counts upward from the last
/// prompt token, then end-of-text. The answers are learnable from the previous token, so a few steps of a
/// tiny model must bring the loss down clearly.
/// </summary>
internal static class TinyDataset
{
    public const int TokenizerSize = 1000;
    public const int EndOfText = 999;
    private const int FirstId = 100;
    private const int Alphabet = 40;

    public static string Write(string folder, int rows = 16, int sequenceLength = 32, int seed = 7)
    {
        var random = new Random(seed);
        var packed = new List<PackedRow>();
        for (int r = 0; r < rows; r++)
        {
            var tokens = new int[sequenceLength];
            var loss = new byte[sequenceLength];
            Array.Fill(tokens, EndOfText); // padding
            var documents = new List<(int, int, int)>();
            int at = 0;
            while (true)
            {
                var document = Document(random);
                if (at + document.Count > sequenceLength)
                {
                    break;
                }

                for (int i = 0; i < document.Count; i++)
                {
                    tokens[at + i] = document[i].Token;
                    loss[at + i] = document[i].Supervised ? (byte)1 : (byte)0;
                }

                documents.Add((at, document.Count, 0));
                at += document.Count;
            }

            packed.Add(new PackedRow(tokens, loss, documents));
        }

        var shard = Path.Combine(folder, "data", "train-00000" + ShardFormat.Extension);
        Directory.CreateDirectory(Path.GetDirectoryName(shard)!);
        ShardWriter.Write(shard, sequenceLength, 2, packed);
        var manifest = new DatasetManifest
        {
            Recipe = "tiny-test",
            CompilerVersion = "test",
            Seed = seed,
            SettingsHash = "test",
            Tokenizer = new TokenizerInfo("test", "test", "test", TokenizerSize, EndOfText),
            Template = "test",
            SequenceLength = sequenceLength,
            Shards = [new ShardInfo("data/train-00000" + ShardFormat.Extension, rows, packed.Sum(p => p.Documents.Count), rows * sequenceLength, packed.Sum(p => p.Loss.Count(b => b == 1)), "test", "data/train-00000" + ShardFormat.MaskExtension, "test")],
            Statistics = new DatasetStatistics(),
        };
        var manifestPath = Path.Combine(folder, "manifest.json");
        File.WriteAllText(manifestPath, manifest.ToJson());
        return manifestPath;
    }

    /// <summary>A job for a very small model, so a test run takes about a second.</summary>
    public static TrainingJob Job(string manifest, string output, int steps = 30, int seed = 1) => new()
    {
        Recipe = "tiny-test",
        Seed = seed,
        Manifest = manifest,
        OutputDirectory = output,
        Model = new ModelSettings { Layers = 2, Dim = 32, Heads = 4, KvHeads = 2 },
        Training = new TrainingSettings
        {
            Steps = steps,
            BatchSize = 4,
            LearningRate = 1e-2,
            MinLearningRate = 1e-3,
            WarmupSteps = 3,
            LogEvery = 5,
        },
    };

    private static List<(int Token, bool Supervised)> Document(Random random)
    {
        var document = new List<(int, bool)>();
        int promptLength = random.Next(2, 5);
        int token = 0;
        for (int i = 0; i < promptLength; i++)
        {
            token = random.Next(Alphabet);
            document.Add((FirstId + token, false));
        }

        int answerLength = random.Next(3, 7);
        for (int i = 0; i < answerLength; i++)
        {
            token = (token + 1) % Alphabet;
            document.Add((FirstId + token, true));
        }

        document.Add((EndOfText, true));
        return document;
    }
}
