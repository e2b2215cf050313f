using System.Text.Json;
using AgentFlan.Diagnostics;
using AgentFlan.Trainer.Data;
using AgentFlan.Trainer.Lora;
using AgentFlan.Trainer.Models;
using TorchSharp.PyBridge;

namespace AgentFlan.Trainer.Checkpoints;

/// <summary>
/// A checkpoint is a folder in the Hugging Face layout: model.safetensors (never pickle), config.json
/// (LlamaConfig field names) and vocab_map.json (model row → tokenizer id). A model with LoRA adapters is
/// written merged (W + (α/r)·B·A under the base names), and <c>writeExtra</c> can add files such as
/// the adapter export (adapter/) to the same folder before it is published. It is written to a temp folder
/// beside the target and renamed into place, so a killed run never leaves a half checkpoint that looks whole.
/// </summary>
public static class CheckpointStore
{
    public const string FolderName = "checkpoint";
    public const string WeightsFile = "model.safetensors";
    public const string ConfigFile = "config.json";

    /// <summary>Writes <paramref name="model"/> to <c>outputDirectory/checkpoint</c> and returns that path.</summary>
    public static string Save(string outputDirectory, LlamaForCausalLM model, TokenVocabulary vocabulary, Action<string>? writeExtra = null)
    {
        var target = Path.Combine(Path.GetFullPath(outputDirectory), FolderName);
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{FolderName}.{Guid.NewGuid():N}.tmp");
        var old = Path.Combine(Path.GetDirectoryName(target)!, $".{FolderName}.{Guid.NewGuid():N}.old");
        try
        {
            Directory.CreateDirectory(temp);
            if (LoraAdapters.Find(model).Count == 0)
            {
                model.save_safetensors(Path.Combine(temp, WeightsFile));
            }
            else
            {
                var merged = LoraAdapters.MergedStateDict(model);
                Safetensors.SaveStateDict(Path.Combine(temp, WeightsFile), merged);
                foreach (var weight in merged.Values)
                {
                    weight.Dispose();
                }
            }

            File.WriteAllText(Path.Combine(temp, ConfigFile), model.Config.ToJson());
            File.WriteAllText(Path.Combine(temp, TokenVocabulary.FileName), vocabulary.ToJson());
            writeExtra?.Invoke(temp);

            if (Directory.Exists(target))
            {
                Directory.Move(target, old);
            }

            Directory.Move(temp, target);
            return target;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DiagnosticException(Diagnostic.Error(
                DiagnosticCodes.CheckpointFailed, $"The checkpoint could not be written to '{target}': {e.Message}", target));
        }
        finally
        {
            TryDelete(temp);
            TryDelete(old);
        }
    }

    /// <summary>Loads a checkpoint folder written by <see cref="Save"/>.</summary>
    public static (LlamaForCausalLM Model, TokenVocabulary Vocabulary) Load(string checkpointDirectory)
    {
        var weights = Path.Combine(checkpointDirectory, WeightsFile);
        try
        {
            var config = LlamaConfig.FromJson(File.ReadAllText(Path.Combine(checkpointDirectory, ConfigFile)));
            var vocabulary = TokenVocabulary.FromJson(File.ReadAllText(Path.Combine(checkpointDirectory, TokenVocabulary.FileName)));
            if (vocabulary.Size != config.VocabSize)
            {
                throw new InvalidDataException($"vocab_map.json has {vocabulary.Size} rows but config.json says vocab_size {config.VocabSize}");
            }

            var model = new LlamaForCausalLM(config);
            model.load_safetensors(weights, strict: true);
            return (model, vocabulary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException or ArgumentException)
        {
            throw new DiagnosticException(Diagnostic.Error(
                DiagnosticCodes.CheckpointFailed, $"The checkpoint '{checkpointDirectory}' cannot be loaded: {e.Message}", checkpointDirectory));
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Leftovers are dot-named and ignored; the next save cleans its own.
        }
    }
}
