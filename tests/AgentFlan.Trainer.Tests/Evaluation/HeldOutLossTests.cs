using AgentFlan.Conversations;
using AgentFlan.Evaluation;
using AgentFlan.TestUtilities;
using AgentFlan.Tokenization;
using AgentFlan.Trainer.Checkpoints;
using AgentFlan.Trainer.Evaluation;
using AgentFlan.Trainer.Recipes;

namespace AgentFlan.Trainer.Tests.Evaluation;

[TestClass]
public sealed class HeldOutLossTests
{
    /// <summary>A TinyDataset-shaped document: an unsupervised prompt, then an answer (reasoning) that counts upward or is random.</summary>
    private static LossSample Sample(string set, int[] prompt, int answerLength, Random? noise)
    {
        var tokens = new List<int>(prompt);
        int token = prompt[^1] - 100;
        for (int i = 0; i < answerLength; i++)
        {
            token = noise is null ? (token + 1) % 40 : noise.Next(40);
            tokens.Add(100 + token);
        }

        tokens.Add(TinyDataset.EndOfText);
        var loss = tokens.Select((_, i) => i >= prompt.Length ? (byte)1 : (byte)0).ToArray();
        var capabilities = tokens.Select((_, i) => i >= prompt.Length && i < tokens.Count - 1 ? Capability.Reasoning : Capability.None).ToArray();
        return new LossSample(set, new TokenizedSample(set + tokens.Count, ConversationKind.AgentChat, [.. tokens], loss, capabilities));
    }

    [TestMethod]
    public void A_trained_model_has_finite_loss_lower_where_it_predicts_well_and_batching_changes_nothing()
    {
        using var temp = new TempDirectory();
        var manifest = TinyDataset.Write(temp.Path, rows: 32);
        using var progress = new StringWriter();
        Finetune.Run(TinyDataset.Job(manifest, temp.Combine("out"), steps: 80), temp.Combine("job.json"), progress);
        var (model, vocabulary) = CheckpointStore.Load(Path.Combine(temp.Combine("out"), CheckpointStore.FolderName));
        using var disposeModel = model;

        var random = new Random(5);
        var counting = Enumerable.Range(0, 6).Select(i => Sample("counting", [100 + random.Next(40), 100 + random.Next(40)], 3 + (i % 3), null)).ToList();
        var noise = Enumerable.Range(0, 6).Select(i => Sample("noise", [100 + random.Next(40), 100 + random.Next(40)], 3 + (i % 3), random)).ToList();
        var samples = counting.Concat(noise).ToList();

        var batched = HeldOutLoss.Measure(model, vocabulary, tokenizer: null, samples, maxLength: 32, batchSize: 8);
        var alone = HeldOutLoss.Measure(model, vocabulary, tokenizer: null, samples, maxLength: 32, batchSize: 1);

        var sets = batched.BySet.ToDictionary(r => r.Name);
        Assert.IsTrue(double.IsFinite(batched.Overall.MeanLoss) && batched.Overall.MeanLoss > 0, $"{batched.Overall.MeanLoss}");
        Assert.IsLessThan(sets["noise"].MeanLoss - 1.0, sets["counting"].MeanLoss, $"counting {sets["counting"].MeanLoss:F3} vs noise {sets["noise"].MeanLoss:F3}\n{progress}");

        // Every answer token and the end-of-text after it are targets: (3 + 4 + 5) x 2 answer tokens and 6 ends per set.
        Assert.AreEqual(2 * (24 + 6), batched.Overall.Tokens);
        Assert.AreEqual(48, batched.ByCapability.Single(r => r.Name == "reasoning").Tokens);
        Assert.AreEqual(12, batched.ByCapability.Single(r => r.Name == "none").Tokens, "the end-of-text token carries the sample's loss mask");
        Assert.AreEqual(12, batched.Samples);
        Assert.AreEqual(batched.Overall.MeanLoss, alone.Overall.MeanLoss, 1e-4, "padding in a batch does not change a sample's loss");
    }

    [TestMethod]
    public void Tokens_outside_a_compact_vocabulary_are_counted_and_long_samples_are_cut()
    {
        using var temp = new TempDirectory();
        var manifest = TinyDataset.Write(temp.Path, rows: 4);
        using var progress = new StringWriter();
        Finetune.Run(TinyDataset.Job(manifest, temp.Combine("out"), steps: 2), temp.Combine("job.json"), progress);
        var (model, vocabulary) = CheckpointStore.Load(Path.Combine(temp.Combine("out"), CheckpointStore.FolderName));
        using var disposeModel = model;

        var unknown = Sample("s", [100, 101], 4, null);
        unknown.Sample.Tokens[3] = 500; // never seen in training: no model row
        var scores = HeldOutLoss.Measure(model, vocabulary, tokenizer: null, [unknown, Sample("s", [100, 101], 20, null)], maxLength: 10);

        Assert.AreEqual(1, scores.TokensDropped);
        Assert.AreEqual(1, scores.Truncated);
        Assert.AreEqual(4 + 8, scores.Overall.Tokens, "4 answer tokens + end-of-text - 1 dropped, and the 8 answer tokens within 10 positions");
    }
}
