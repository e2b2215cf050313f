using AgentFlan.TestUtilities;
using AgentFlan.Trainer.Checkpoints;
using AgentFlan.Trainer.Data;
using AgentFlan.Trainer.Models;
using AgentFlan.Training;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AgentFlan.Trainer.Tests;

[TestClass]
public sealed class CheckpointTests
{
    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void Save_then_load_gives_identical_logits(bool tied)
    {
        using var temp = new TempDirectory();
        var vocabulary = TokenVocabulary.Compact([100, 205, 317, 42, 998], 1000, 999);
        manual_seed(3);
        using var model = new LlamaForCausalLM(LlamaConfig.FromSettings(
            new ModelSettings { Layers = 2, Dim = 32, Heads = 4, KvHeads = 1, TieEmbeddings = tied }, vocabulary.Size, 16, 5));
        model.eval();

        var path = CheckpointStore.Save(temp.Path, model, vocabulary);
        manual_seed(4); // the loaded model's own initialisation must not matter
        var (loaded, loadedVocabulary) = CheckpointStore.Load(path);
        using (loaded)
        {
            loaded.eval();
            using var scope = NewDisposeScope();
            var tokens = tensor(new long[] { 0, 1, 2, 3, 4, 5, 0, 1 }).view(1, 8);
            var positions = arange(8, dtype: ScalarType.Int64).view(1, 8);
            var mask = ones(8, 8, dtype: ScalarType.Bool).tril().view(1, 1, 8, 8);

            Assert.IsTrue(model.forward(tokens, positions, mask).eq(loaded.forward(tokens, positions, mask)).all().item<bool>());
            Assert.AreEqual(998, loadedVocabulary.ToTokenizer(4));
            Assert.AreEqual(vocabulary.ToModel(999), loaded.Config.EosTokenId);
        }
    }

    [TestMethod]
    public void The_checkpoint_uses_hugging_face_names()
    {
        using var temp = new TempDirectory();
        manual_seed(3);
        using var model = new LlamaForCausalLM(LlamaConfig.FromSettings(new ModelSettings { Layers = 1, Dim = 16, Heads = 2, KvHeads = 1 }, 10, 8, null));
        var path = CheckpointStore.Save(temp.Path, model, TokenVocabulary.Full(10, 9));

        var names = Safetensors.LoadStateDict(Path.Combine(path, CheckpointStore.WeightsFile)).Keys.Order().ToArray();
        CollectionAssert.AreEqual(
            new[]
            {
                "model.embed_tokens.weight",
                "model.layers.0.input_layernorm.weight",
                "model.layers.0.mlp.down_proj.weight",
                "model.layers.0.mlp.gate_proj.weight",
                "model.layers.0.mlp.up_proj.weight",
                "model.layers.0.post_attention_layernorm.weight",
                "model.layers.0.self_attn.k_proj.weight",
                "model.layers.0.self_attn.o_proj.weight",
                "model.layers.0.self_attn.q_proj.weight",
                "model.layers.0.self_attn.v_proj.weight",
                "model.norm.weight",
            },
            names);

        var config = File.ReadAllText(Path.Combine(path, CheckpointStore.ConfigFile));
        foreach (var field in new[] { "\"hidden_size\": 16", "\"num_hidden_layers\": 1", "\"num_attention_heads\": 2", "\"num_key_value_heads\": 1", "\"intermediate_size\": 64", "\"rope_theta\": 10000", "\"rms_norm_eps\": 1E-05", "\"vocab_size\": 10", "\"tie_word_embeddings\": true", "\"model_type\": \"llama\"" })
        {
            StringAssert.Contains(config, field);
        }
    }
}
