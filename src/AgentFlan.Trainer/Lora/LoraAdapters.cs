using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlan.Trainer.Models;
using AgentFlan.Training;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AgentFlan.Trainer.Lora;

/// <summary>
/// Puts LoRA adapters into a <see cref="LlamaForCausalLM"/> and writes them out. <see cref="Attach"/> freezes
/// every base weight and replaces each target projection (q_proj … down_proj, matched by the last part of its
/// name) with a <see cref="LoraLinear"/> around it, so the optimizer only ever sees the adapters.
/// Exports: the adapters alone in PEFT's layout (adapter_model.safetensors + adapter_config.json), and the
/// merged weights W + (α/r)·B·A under the base model's names, which any Llama loader reads.
/// </summary>
public static class LoraAdapters
{
    public const string AdapterWeightsFile = "adapter_model.safetensors";
    public const string AdapterConfigFile = "adapter_config.json";

    /// <summary>PEFT's prefix for a causal LM's adapter keys (PeftModel → LoraModel → the base model).</summary>
    private const string PeftPrefix = "base_model.model.";

    /// <summary>Wraps the target projections; returns the wrapped modules by their full names.</summary>
    public static IReadOnlyList<(string Name, LoraLinear Adapter)> Attach(LlamaForCausalLM model, LoraSettings settings)
    {
        foreach (var parameter in model.parameters())
        {
            parameter.requires_grad = false;
        }

        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        var targets = modules.Where(m => m.Value is Linear && settings.Targets.Contains(LastPart(m.Key)))
            .Select(m => m.Key).Order(StringComparer.Ordinal).ToList();
        if (targets.Count == 0)
        {
            throw new ArgumentException($"No projection of the model matches training.lora.targets ({string.Join(", ", settings.Targets)}).", nameof(settings));
        }

        var attached = new List<(string, LoraLinear)>();
        foreach (var name in targets)
        {
            int dot = name.LastIndexOf('.');
            var parent = dot < 0 ? model : modules[name[..dot]];
            var child = name[(dot + 1)..];
            var adapter = new LoraLinear((Linear)modules[name], settings.Rank, settings.Alpha, settings.Dropout);
            Replace(parent, child, adapter);
            attached.Add((name, adapter));
        }

        return attached;
    }

    /// <summary>The adapters in <paramref name="model"/>, by the full names of the projections they wrap.</summary>
    public static IReadOnlyList<(string Name, LoraLinear Adapter)> Find(nn.Module model) =>
        [.. model.named_modules().Where(m => m.module is LoraLinear).Select(m => (m.name, (LoraLinear)m.module))];

    /// <summary>
    /// The state dict of the model with every adapter folded into its projection: the base model's names
    /// only (…q_proj.weight), the tensors detached copies. Caller disposes the tensors.
    /// </summary>
    public static Dictionary<string, Tensor> MergedStateDict(nn.Module model)
    {
        var adapters = Find(model).ToDictionary(a => a.Name, a => a.Adapter);
        var merged = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using var noGrad = no_grad();
        foreach (var (name, value) in model.state_dict())
        {
            var owner = adapters.Keys.FirstOrDefault(a => name.StartsWith(a + ".", StringComparison.Ordinal));
            if (owner is null)
            {
                merged[name] = value.detach().clone();
            }
            else if (name == owner + ".base_layer.weight")
            {
                merged[owner + ".weight"] = adapters[owner].MergedWeight().contiguous();
            }
        }

        return merged;
    }

    /// <summary>Writes adapter_model.safetensors and adapter_config.json (PEFT's LoRA layout) into <paramref name="folder"/>.</summary>
    public static void SaveAdapter(string folder, nn.Module model, LoraSettings settings, string? baseModel)
    {
        Directory.CreateDirectory(folder);
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, adapter) in Find(model))
        {
            weights[$"{PeftPrefix}{name}.lora_A.weight"] = adapter.A.detach().contiguous();
            weights[$"{PeftPrefix}{name}.lora_B.weight"] = adapter.B.detach().contiguous();
        }

        Safetensors.SaveStateDict(Path.Combine(folder, AdapterWeightsFile), weights);
        var config = new JsonObject
        {
            ["peft_type"] = "LORA",
            ["task_type"] = "CAUSAL_LM",
            ["base_model_name_or_path"] = baseModel,
            ["r"] = settings.Rank,
            ["lora_alpha"] = settings.Alpha,
            ["lora_dropout"] = settings.Dropout,
            ["target_modules"] = new JsonArray([.. settings.Targets.Order(StringComparer.Ordinal).Select(t => (JsonNode?)t)]),
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["inference_mode"] = true,
            ["init_lora_weights"] = true,
            ["modules_to_save"] = null,
            ["use_rslora"] = false,
            ["use_dora"] = false,
        };
        File.WriteAllText(Path.Combine(folder, AdapterConfigFile), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>
    /// Swaps a child module in place. TorchSharp's forward code reads the parent's field, and its module tree
    /// (parameters, state_dict, train/eval) reads the registry, so both are updated. The field is private
    /// (its name is the parameter name); reflection keeps the model classes free of LoRA code.
    /// </summary>
    private static void Replace(nn.Module parent, string child, nn.Module<Tensor, Tensor> replacement)
    {
        var field = parent.GetType().GetField(child, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw new InvalidOperationException($"{parent.GetType().Name} has no field '{child}' to wrap.");
        if (!field.FieldType.IsAssignableFrom(replacement.GetType()))
        {
            throw new InvalidOperationException($"{parent.GetType().Name}.{child} is a {field.FieldType.Name}; LoRA needs it typed as a module.");
        }

        field.SetValue(parent, replacement);
        parent.register_module(child, null!);
        parent.register_module(child, replacement);
    }

    private static string LastPart(string name) => name[(name.LastIndexOf('.') + 1)..];
}
