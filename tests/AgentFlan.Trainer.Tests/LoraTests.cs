using System.Text.Json.Nodes;
using AgentFlan.TestUtilities;
using AgentFlan.Trainer.Checkpoints;
using AgentFlan.Trainer.Lora;
using AgentFlan.Trainer.Recipes;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AgentFlan.Trainer.Tests;

[TestClass]
public sealed class LoraTests
{
    [TestMethod]
    public void Only_the_adapters_train_and_the_merged_export_reloads_with_the_adapted_logits()
    {
        using var temp = new TempDirectory();
        var manifest = TinyDataset.Write(temp.Path);
        var job = ResumeTests.WithMethod(TinyDataset.Job(manifest, temp.Combine("out"), steps: 12), "lora");
        using var recipe = new Finetune(job, temp.Combine("job.json"), TextWriter.Null);
        recipe.Setup();
        var frozen = recipe.Model.named_parameters().Where(p => !p.parameter.requires_grad)
            .ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var trained = recipe.Model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();

        recipe.Train();
        var checkpoint = recipe.SaveCheckpoint();

        Assert.HasCount(2 * 3 * 2, trained, "A and B for q_proj, v_proj and down_proj of 2 layers");
        Assert.IsTrue(trained.All(n => n.Contains(".lora_A.", StringComparison.Ordinal) || n.Contains(".lora_B.", StringComparison.Ordinal)), string.Join(", ", trained));
        var now = recipe.Model.state_dict();
        foreach (var (name, before) in frozen)
        {
            Assert.IsTrue(before.equal(now[name]).all().item<bool>(), $"{name} is frozen");
        }

        Assert.IsLessThan(recipe.Losses[0], recipe.Losses[^1]);
        var (merged, _) = CheckpointStore.Load(checkpoint);
        using (merged)
        {
            recipe.Model.eval();
            merged.eval();
            using var scope = NewDisposeScope();
            var (tokens, positions, mask) = Inputs(12, recipe.Model.Config.VocabSize);
            var adapted = recipe.Model.forward(tokens, positions, mask);
            var reloaded = merged.forward(tokens, positions, mask);
            Assert.IsTrue(adapted.allclose(reloaded, rtol: 1e-4, atol: 1e-5), $"max difference {(adapted - reloaded).abs().max().item<float>()}");
            Assert.IsGreaterThan(1e-3, (adapted - ZeroAdapterLogits(recipe, tokens, positions, mask)).abs().max().item<float>(), "the adapters changed the output");
        }

        var adapter = Path.Combine(checkpoint, Finetune.AdapterFolder);
        var weights = Safetensors.LoadStateDict(Path.Combine(adapter, LoraAdapters.AdapterWeightsFile));
        Assert.HasCount(12, weights);
        CollectionAssert.AreEqual(new long[] { 4, 32 }, weights["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"].shape);
        CollectionAssert.AreEqual(new long[] { 32, 4 }, weights["base_model.model.model.layers.1.mlp.down_proj.lora_B.weight"].shape);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(adapter, LoraAdapters.AdapterConfigFile)))!;
        Assert.AreEqual("LORA", (string?)config["peft_type"]);
        Assert.AreEqual(4, (int)config["r"]!);
        Assert.AreEqual(8.0, (double)config["lora_alpha"]!);
    }

    internal static (Tensor Tokens, Tensor Positions, Tensor Mask) Inputs(int length, int vocabulary) => (
        arange(length, dtype: ScalarType.Int64).remainder(vocabulary).view(1, length),
        arange(length, dtype: ScalarType.Int64).view(1, length),
        ones(length, length, dtype: ScalarType.Bool).tril().view(1, 1, length, length));

    /// <summary>The adapted model's logits with every B set to zero, i.e. the base model's.</summary>
    private static Tensor ZeroAdapterLogits(Finetune recipe, Tensor tokens, Tensor positions, Tensor mask)
    {
        var adapters = LoraAdapters.Find(recipe.Model);
        var saved = adapters.Select(a => a.Adapter.B.detach().clone()).ToList();
        using (no_grad())
        {
            adapters.ToList().ForEach(a => a.Adapter.B.zero_());
            var logits = recipe.Model.forward(tokens, positions, mask);
            for (int i = 0; i < adapters.Count; i++)
            {
                adapters[i].Adapter.B.copy_(saved[i]);
            }

            return logits;
        }
    }
}
