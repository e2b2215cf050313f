using AgentFlan.Trainer.Generation;
using AgentFlan.Trainer.Models;
using AgentFlan.Training;
using static TorchSharp.torch;

namespace AgentFlan.Trainer.Tests.Evaluation;

[TestClass]
public sealed class GenerationTests
{
    private const int Vocabulary = 40;
    private const int EndOfText = 39;
    private static readonly int[][] Prompts = [[5, 6, 7, 8, 9, 10, 11, 12], [13, 5], [20, 21, 22, 23, 24], [7]];

    [TestMethod]
    public void Generation_with_the_kv_cache_gives_the_same_tokens_as_without_it()
    {
        using var model = TinyModel(seed: 5);
        var generator = new GreedyGenerator(model, CPU);

        var cached = generator.Generate(Prompts, maxNewTokens: 16);
        var uncached = generator.Generate(Prompts, maxNewTokens: 16, useCache: false);

        for (int b = 0; b < Prompts.Length; b++)
        {
            CollectionAssert.AreEqual(uncached[b].Tokens.ToArray(), cached[b].Tokens.ToArray(), $"prompt {b}");
            Assert.IsTrue(cached[b].Tokens.Count > 0);
        }
    }

    [TestMethod]
    public void A_prompt_generates_the_same_alone_as_in_a_left_padded_batch()
    {
        using var model = TinyModel(seed: 6);
        var generator = new GreedyGenerator(model, CPU);

        var batch = generator.Generate(Prompts, maxNewTokens: 10);
        for (int b = 0; b < Prompts.Length; b++)
        {
            var alone = generator.Generate([Prompts[b]], maxNewTokens: 10);
            CollectionAssert.AreEqual(alone[0].Tokens.ToArray(), batch[b].Tokens.ToArray(), $"prompt {b}");
        }
    }

    [TestMethod]
    public void Generation_stops_at_the_stop_condition_or_the_bound()
    {
        using var model = TinyModel(seed: 7);
        var generator = new GreedyGenerator(model, CPU);

        var free = generator.Generate([Prompts[0]], maxNewTokens: 6)[0];
        var stopped = generator.Generate([Prompts[0]], maxNewTokens: 6, isFinished: ids => ids.Count == 2)[0];

        Assert.IsTrue(free.Finished || free.Tokens.Count == 6);
        Assert.IsTrue(stopped.Finished);
        CollectionAssert.AreEqual(free.Tokens.Take(2).ToArray(), stopped.Tokens.ToArray());
    }

    private static LlamaForCausalLM TinyModel(int seed)
    {
        manual_seed(seed);
        var model = new LlamaForCausalLM(LlamaConfig.FromSettings(new ModelSettings { Layers = 2, Dim = 32, Heads = 4, KvHeads = 2 }, Vocabulary, 64, EndOfText));

        // Random N(0, 0.02) weights give nearly flat logits; sharpen them so greedy choices are far from ties.
        using (no_grad())
        {
            foreach (var parameter in model.parameters())
            {
                parameter.mul_(parameter.dim() == 2 ? 20 : 1);
            }
        }

        return model;
    }
}
