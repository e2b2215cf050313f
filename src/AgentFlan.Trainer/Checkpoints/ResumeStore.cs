using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentFlan.Diagnostics;
using AgentFlan.Training;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AgentFlan.Trainer.Checkpoints;

/// <summary>
/// Resume points under <c>output_directory/resume/step-NNNNNNNN/</c>: the trainable weights
/// (trainable.safetensors: every weight for full fine-tuning, the adapters only for LoRA), the optimizer's
/// state (optimizer.bin: AdamW moments and step counts), TorchSharp's RNG state (rng.bin) and state.json
/// (step, losses, counters, the job's fingerprint). Each is written into a dot-named temp folder that is
/// renamed into place when complete, so a run killed at any moment leaves either the previous resume point
/// or the new one; the older ones are deleted afterwards. Frozen weights are not saved: they are rebuilt
/// from the seed (tiny) or reloaded from model.path.
/// </summary>
public static class ResumeStore
{
    public const string FolderName = "resume";
    public const string StateFile = "state.json";
    private const string WeightsFile = "trainable.safetensors";
    private const string OptimizerFile = "optimizer.bin";
    private const string RngFile = "rng.bin";
    private const string Prefix = "step-";

    /// <summary>
    /// A hash of everything that decides the loss sequence: the whole job and the bytes of the dataset
    /// manifest (which carries the shards' hashes). log_every only changes what is printed, so it is left out.
    /// </summary>
    public static string Fingerprint(TrainingJob job, string manifestPath)
    {
        var normalized = job with { Training = job.Training with { LogEvery = 1 } };
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(normalized.ToJson()));
        if (File.Exists(manifestPath))
        {
            hash.AppendData(File.ReadAllBytes(manifestPath));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static string Save(string outputDirectory, ResumeState state, nn.Module model, OptimizerHelper optimizer)
    {
        var root = Path.Combine(Path.GetFullPath(outputDirectory), FolderName);
        var target = Path.Combine(root, Prefix + state.Step.ToString("D8", CultureInfo.InvariantCulture));
        var temp = Path.Combine(root, $".{Prefix}{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(temp);
            var trainable = model.named_parameters().Where(p => p.parameter.requires_grad)
                .ToDictionary(p => p.name, p => (Tensor)p.parameter);
            Safetensors.SaveStateDict(Path.Combine(temp, WeightsFile), trainable);
            optimizer.save_state_dict(Path.Combine(temp, OptimizerFile));
            using (var rng = random.get_rng_state())
            {
                File.WriteAllBytes(Path.Combine(temp, RngFile), rng.data<byte>().ToArray());
            }

            // state.json last: a folder without it is never taken for a resume point.
            File.WriteAllText(Path.Combine(temp, StateFile), state.ToJson());
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.Move(temp, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DiagnosticException(Diagnostic.Error(
                DiagnosticCodes.CheckpointFailed, $"The resume point could not be written to '{target}': {e.Message}", target));
        }
        finally
        {
            TryDelete(temp);
        }

        // Only now is the new point complete: drop the older ones (and leftovers of killed saves).
        foreach (var folder in Directory.GetDirectories(root).Where(f => !string.Equals(f, target, StringComparison.Ordinal)))
        {
            TryDelete(folder);
        }

        return target;
    }

    /// <summary>
    /// The latest complete resume point of the job with <paramref name="fingerprint"/>, or null. Points of
    /// another job (changed settings or data) are deleted: the run starts over.
    /// </summary>
    public static (string Path, ResumeState State)? FindLatest(string outputDirectory, string fingerprint)
    {
        var root = Path.Combine(Path.GetFullPath(outputDirectory), FolderName);
        if (!Directory.Exists(root))
        {
            return null;
        }

        var candidates = Directory.GetDirectories(root, Prefix + "*")
            .Where(f => File.Exists(Path.Combine(f, StateFile)))
            .OrderByDescending(f => f, StringComparer.Ordinal);
        foreach (var folder in candidates)
        {
            ResumeState state;
            try
            {
                state = ResumeState.FromJson(File.ReadAllText(Path.Combine(folder, StateFile)));
            }
            catch (JsonException)
            {
                continue;
            }

            if (state.Fingerprint == fingerprint)
            {
                return (folder, state);
            }
        }

        Delete(outputDirectory);
        return null;
    }

    /// <summary>Restores the trainable weights, the optimizer and the RNG from a resume point.</summary>
    public static void Load(string folder, nn.Module model, OptimizerHelper optimizer)
    {
        try
        {
            var saved = Safetensors.LoadStateDict(Path.Combine(folder, WeightsFile));
            var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
            if (trainable.Count != saved.Count || trainable.Any(p => !saved.ContainsKey(p.name)))
            {
                throw new InvalidDataException($"{WeightsFile} does not hold this model's trainable weights");
            }

            using (no_grad())
            {
                foreach (var (name, parameter) in trainable)
                {
                    parameter.copy_(saved[name]);
                }
            }

            foreach (var tensor in saved.Values)
            {
                tensor.Dispose();
            }

            optimizer.load_state_dict(Path.Combine(folder, OptimizerFile));
            using var rng = tensor(File.ReadAllBytes(Path.Combine(folder, RngFile)), dtype: ScalarType.Byte);
            random.set_rng_state(rng);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
        {
            throw new DiagnosticException(Diagnostic.Error(
                DiagnosticCodes.CheckpointFailed, $"The resume point '{folder}' cannot be loaded: {e.Message}; delete it to start over.", folder));
        }
    }

    public static void Delete(string outputDirectory) => TryDelete(Path.Combine(Path.GetFullPath(outputDirectory), FolderName));

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
            // Dot-named leftovers are ignored and cleaned by the next save.
        }
    }
}
