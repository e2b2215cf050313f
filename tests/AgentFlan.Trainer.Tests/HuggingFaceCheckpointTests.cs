using System.Text.Json.Nodes;
using AgentFlan.Diagnostics;
using AgentFlan.TestUtilities;
using AgentFlan.Trainer.Checkpoints;
using AgentFlan.Trainer.Models;
using AgentFlan.Trainer.Recipes;
using AgentFlan.Training;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AgentFlan.Trainer.Tests;

[TestClass]
public sealed class HuggingFaceCheckpointTests
{
    [TestMethod]
    [DataRow(false, false)]
    [DataRow(true, true)]
    public void A_checkpoint_written_here_loads_with_identical_logits(bool sharded, bool tied)
    {
        using var temp = new TempDirectory();
        manual_seed(5);
        using var original = new LlamaForCausalLM(LlamaConfig.FromSettings(
            new ModelSettings { Layers = 2, Dim = 32, Heads = 4, KvHeads = 2, TieEmbeddings = tied, RopeTheta = 500000 }, 64, 32, 2));
        var folder = WriteCheckpoint(temp.Path, original, sharded);

        manual_seed(6);
        using var loaded = HuggingFaceCheckpoint.Load(folder);

        Assert.AreEqual(500000, loaded.Config.RopeTheta);
        Assert.AreEqual(tied, loaded.Config.TieWordEmbeddings);
        original.eval();
        loaded.eval();
        using var scope = NewDisposeScope();
        var (tokens, positions, mask) = LoraTests.Inputs(16, 64);
        Assert.IsTrue(original.forward(tokens, positions, mask).equal(loaded.forward(tokens, positions, mask)).all().item<bool>());
    }

    [TestMethod]
    public void Unsupported_architectures_and_rope_scaling_are_AFB5001_each()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("config.json", """
            { "model_type": "qwen2", "architectures": ["Qwen2ForCausalLM"], "hidden_size": 32, "num_hidden_layers": 1,
              "num_attention_heads": 4, "intermediate_size": 64, "vocab_size": 10, "attention_bias": true,
              "rope_scaling": { "rope_type": "llama3", "factor": 8.0 } }
            """);

        var e = Assert.ThrowsExactly<DiagnosticException>(() => HuggingFaceCheckpoint.ReadConfig(temp.Path));

        Assert.HasCount(3, e.Diagnostics);
        Assert.IsTrue(e.Diagnostics.All(d => d.Code == DiagnosticCodes.TrainingConfigInvalid));
        StringAssert.Contains(e.Diagnostics[0].Message, "Qwen2ForCausalLM");
        StringAssert.Contains(e.Diagnostics[2].Message, "rope_scaling type 'llama3'");
    }

    [TestMethod]
    public void Pickled_weights_are_never_loaded_and_missing_files_are_AFB5004()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("config.json", """{ "model_type": "llama", "hidden_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 32, "vocab_size": 10 }""");
        temp.WriteFile("pytorch_model.bin", "not really a pickle");

        var noWeights = Assert.ThrowsExactly<DiagnosticException>(() => HuggingFaceCheckpoint.Load(temp.Path));
        var noFolder = Assert.ThrowsExactly<DiagnosticException>(() => HuggingFaceCheckpoint.Load(temp.Combine("nowhere")));

        Assert.AreEqual(DiagnosticCodes.CheckpointFailed, noWeights.Diagnostics.Single().Code);
        StringAssert.Contains(noWeights.Diagnostics[0].Message, "never loaded");
        Assert.AreEqual(DiagnosticCodes.CheckpointFailed, noFolder.Diagnostics.Single().Code);
    }

    [TestMethod]
    public void A_loaded_checkpoint_fine_tunes_with_lora_on_the_full_vocabulary()
    {
        using var temp = new TempDirectory();
        var manifest = TinyDataset.Write(temp.Path);
        manual_seed(8);
        using var pretrained = new LlamaForCausalLM(LlamaConfig.FromSettings(
            new ModelSettings { Layers = 1, Dim = 32, Heads = 4, KvHeads = 4, TieEmbeddings = false }, TinyDataset.TokenizerSize, 32, TinyDataset.EndOfText));
        var folder = WriteCheckpoint(temp.Combine("base"), pretrained, sharded: true);
        var job = ResumeTests.WithMethod(TinyDataset.Job(manifest, temp.Combine("out"), steps: 4), "lora");
        job = job with { Model = new ModelSettings { Kind = "huggingface", Path = folder, Vocabulary = "full" } };

        var summary = Finetune.Run(job, temp.Combine("job.json"), TextWriter.Null);

        Assert.AreEqual(TinyDataset.TokenizerSize, summary.VocabularySize);
        var adapterConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(job.OutputDirectory, "checkpoint", "adapter", "adapter_config.json")))!;
        Assert.AreEqual(folder, (string?)adapterConfig["base_model_name_or_path"]);
        using var merged = CheckpointStore.Load(Path.Combine(job.OutputDirectory, "checkpoint")).Model;
        Assert.IsFalse(merged.Config.TieWordEmbeddings);
    }

    /// <summary>Writes <paramref name="model"/> the way Hugging Face does: config.json plus one file or two shards with an index.</summary>
    private static string WriteCheckpoint(string folder, LlamaForCausalLM model, bool sharded)
    {
        Directory.CreateDirectory(folder);
        var c = model.Config;
        File.WriteAllText(Path.Combine(folder, "config.json"), $$"""
            { "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": {{c.HiddenSize}},
              "intermediate_size": {{c.IntermediateSize}}, "num_hidden_layers": {{c.NumHiddenLayers}},
              "num_attention_heads": {{c.NumAttentionHeads}}, "num_key_value_heads": {{c.NumKeyValueHeads}},
              "max_position_embeddings": {{c.MaxPositionEmbeddings}}, "rope_theta": {{c.RopeTheta}}, "rms_norm_eps": 1e-05,
              "vocab_size": {{c.VocabSize}}, "tie_word_embeddings": {{(c.TieWordEmbeddings ? "true" : "false")}},
              "bos_token_id": 1, "eos_token_id": [2, 3], "hidden_act": "silu", "rope_scaling": null,
              "attention_bias": false, "torch_dtype": "float32", "transformers_version": "4.44.0" }
            """);
        var weights = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach());
        weights["model.layers.0.self_attn.rotary_emb.inv_freq"] = ones(4); // older exports carry it
        if (!sharded)
        {
            Safetensors.SaveStateDict(Path.Combine(folder, "model.safetensors"), weights);
            return folder;
        }

        var names = weights.Keys.Order(StringComparer.Ordinal).ToList();
        var parts = new[] { names.Take(names.Count / 2).ToList(), names.Skip(names.Count / 2).ToList() };
        var map = new JsonObject();
        for (int i = 0; i < parts.Length; i++)
        {
            var file = $"model-0000{i + 1}-of-00002.safetensors";
            Safetensors.SaveStateDict(Path.Combine(folder, file), parts[i].ToDictionary(n => n, n => weights[n]));
            parts[i].ForEach(n => map[n] = file);
        }

        File.WriteAllText(Path.Combine(folder, HuggingFaceCheckpoint.IndexFile), new JsonObject { ["metadata"] = new JsonObject(), ["weight_map"] = map }.ToJsonString());
        return folder;
    }
}
