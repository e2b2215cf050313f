using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlan.Diagnostics;
using AgentFlan.Trainer.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AgentFlan.Trainer.Checkpoints;

/// <summary>
/// Loads a local Hugging Face Llama checkpoint folder: config.json (LlamaConfig) and model.safetensors, or
/// the shards a model.safetensors.index.json names. Safetensors only: pickled *.bin files are never read
/// (unpickling runs code). Weights of any float dtype are converted to float32. What this decoder cannot
/// represent (another architecture, biases, rope_scaling, a head size other than hidden/heads) is AFB5001;
/// missing or unreadable files and weights that do not fit are AFB5004.
/// </summary>
public static class HuggingFaceCheckpoint
{
    public const string IndexFile = "model.safetensors.index.json";

    /// <summary>Parameters a Llama checkpoint may hold that this model derives instead.</summary>
    private static readonly string[] Derived = ["rotary_emb.inv_freq"];

    public static LlamaConfig ReadConfig(string directory)
    {
        var path = Path.Combine(directory, CheckpointStore.ConfigFile);
        if (!File.Exists(path))
        {
            throw Failed(path, $"The Hugging Face checkpoint '{directory}' has no {CheckpointStore.ConfigFile}.");
        }

        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            throw Failed(path, $"{path} cannot be read: {e.Message}");
        }

        var errors = new List<string>();
        var modelType = (string?)json["model_type"];
        if (modelType != "llama")
        {
            var architectures = json["architectures"] is JsonArray a ? string.Join(", ", a.Select(n => (string?)n)) : "none given";
            errors.Add($"model_type '{modelType}' (architectures: {architectures}) is not supported; this trainer loads Llama-family checkpoints (model_type 'llama', LlamaForCausalLM)");
        }

        int Int(string name, int? fallback = null)
        {
            if (json[name] is JsonValue value && value.TryGetValue(out int result) && result > 0)
            {
                return result;
            }

            if (json[name] is null && fallback is { } f)
            {
                return f;
            }

            errors.Add($"'{name}' must be a positive integer");
            return 1;
        }

        double Double(string name, double fallback) => json[name] is JsonValue v && v.TryGetValue(out double d) ? d : fallback;

        int hidden = Int("hidden_size"), heads = Int("num_attention_heads");
        var config = new LlamaConfig
        {
            VocabSize = Int("vocab_size"),
            HiddenSize = hidden,
            IntermediateSize = Int("intermediate_size"),
            NumHiddenLayers = Int("num_hidden_layers"),
            NumAttentionHeads = heads,
            NumKeyValueHeads = Int("num_key_value_heads", heads),
            MaxPositionEmbeddings = Int("max_position_embeddings", 2048),
            RopeTheta = Double("rope_theta", 10000),
            RmsNormEps = Double("rms_norm_eps", 1e-6),
            TieWordEmbeddings = json["tie_word_embeddings"] is JsonValue t && t.TryGetValue(out bool tied) && tied,
            EosTokenId = json["eos_token_id"] switch
            {
                JsonValue v when v.TryGetValue(out int id) => id,
                JsonArray { Count: > 0 } list when list[0] is JsonValue v && v.TryGetValue(out int id) => id,
                _ => null,
            },
        };
        if (hidden % heads != 0 || config.NumAttentionHeads % config.NumKeyValueHeads != 0 || config.HeadDim % 2 != 0)
        {
            errors.Add($"hidden_size {hidden}, num_attention_heads {heads} and num_key_value_heads {config.NumKeyValueHeads} do not give an even head size shared by whole key/value groups");
        }

        if (json["head_dim"] is JsonValue headDim && headDim.TryGetValue(out int hd) && hd != config.HeadDim)
        {
            errors.Add($"head_dim {hd} differs from hidden_size / num_attention_heads ({config.HeadDim}), which this decoder assumes");
        }

        if ((string?)json["hidden_act"] is { } act && act != "silu")
        {
            errors.Add($"hidden_act '{act}' is not supported (SwiGLU with silu only)");
        }

        foreach (var flag in new[] { "attention_bias", "mlp_bias" })
        {
            if (json[flag] is JsonValue v && v.TryGetValue(out bool on) && on)
            {
                errors.Add($"'{flag}: true' is not supported (this decoder has no biases)");
            }
        }

        if (json["rope_scaling"] is JsonObject scaling)
        {
            var type = (string?)scaling["rope_type"] ?? (string?)scaling["type"];
            if (type != "default")
            {
                errors.Add($"rope_scaling type '{type}' is not supported (plain rotary embeddings with rope_theta only)");
            }
        }

        if (errors.Count > 0)
        {
            throw new DiagnosticException([.. errors.Select(e => Diagnostic.Error(DiagnosticCodes.TrainingConfigInvalid, $"Unsupported Hugging Face checkpoint: {e}.", path))]);
        }

        return config;
    }

    /// <summary>Builds the model of <paramref name="directory"/>'s config.json and loads its weights (float32, CPU).</summary>
    public static LlamaForCausalLM Load(string directory)
    {
        var config = ReadConfig(directory);
        var files = WeightFiles(directory);
        var model = new LlamaForCausalLM(config);
        try
        {
            var parameters = model.state_dict();
            var loaded = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var tensors = Safetensors.LoadStateDict(file);
                try
                {
                    foreach (var (name, value) in tensors)
                    {
                        if (Derived.Any(d => name.EndsWith(d, StringComparison.Ordinal)) || (config.TieWordEmbeddings && name == "lm_head.weight"))
                        {
                            continue;
                        }

                        if (!parameters.TryGetValue(name, out var target))
                        {
                            throw new InvalidDataException($"'{Path.GetFileName(file)}' holds '{name}', which a Llama decoder without biases does not have");
                        }

                        if (!target.shape.SequenceEqual(value.shape))
                        {
                            throw new InvalidDataException($"'{name}' has shape [{string.Join(", ", value.shape)}] but config.json implies [{string.Join(", ", target.shape)}]");
                        }

                        using (no_grad())
                        {
                            target.copy_(value);
                        }

                        loaded.Add(name);
                    }
                }
                finally
                {
                    foreach (var tensor in tensors.Values)
                    {
                        tensor.Dispose();
                    }
                }
            }

            var missing = parameters.Keys.Where(k => !loaded.Contains(k)).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidDataException($"the weights lack {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? $" and {missing.Count - 5} more" : "")}");
            }

            return model;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or JsonException or NotSupportedException)
        {
            model.Dispose();
            throw Failed(directory, $"The Hugging Face checkpoint '{directory}' cannot be loaded: {e.Message}.");
        }
    }

    /// <summary>model.safetensors, or every shard of model.safetensors.index.json (each once, in name order).</summary>
    private static List<string> WeightFiles(string directory)
    {
        var single = Path.Combine(directory, CheckpointStore.WeightsFile);
        var index = Path.Combine(directory, IndexFile);
        if (File.Exists(index))
        {
            List<string> shards;
            try
            {
                var map = (JsonNode.Parse(File.ReadAllText(index))?["weight_map"] as JsonObject)
                    ?? throw new JsonException("no weight_map object");
                shards = [.. map.Select(entry => (string?)entry.Value ?? throw new JsonException($"no file for '{entry.Key}'")).Distinct().Order(StringComparer.Ordinal)];
            }
            catch (JsonException e)
            {
                throw Failed(index, $"{index} cannot be read: {e.Message}");
            }

            var paths = shards.Select(s => Path.GetFullPath(Path.Combine(directory, s))).ToList();
            var absent = paths.Where(p => !File.Exists(p)).ToList();
            if (absent.Count > 0)
            {
                throw Failed(index, $"The shards {string.Join(", ", absent.Select(p => $"'{p}'"))} named by {IndexFile} do not exist.");
            }

            return paths;
        }

        if (File.Exists(single))
        {
            return [single];
        }

        var pickled = Directory.Exists(directory) && Directory.EnumerateFiles(directory, "*.bin").Any()
            ? " It holds *.bin (pickle) weights, which are never loaded because unpickling can run code: convert them to safetensors."
            : "";
        throw Failed(directory, $"The Hugging Face checkpoint '{directory}' has neither {CheckpointStore.WeightsFile} nor {IndexFile}.{pickled}");
    }

    private static DiagnosticException Failed(string file, string message) =>
        new(Diagnostic.Error(DiagnosticCodes.CheckpointFailed, message, file));
}
