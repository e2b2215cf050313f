using AgentFlan.Hashing;
using AgentFlan.Recipes;

namespace AgentFlan.Tokenization;

/// <summary>
/// Loaded tokenizers kept for the next compile of a process that compiles many times (the compile server): loading
/// GPT-2's vocabulary costs about 0.1 s of CPU at each compile's start, and a kept tokenizer brings its word memo
/// (<see cref="WordEncoder"/>) already warm. A tokenizer file is known by its content, so an edited file is loaded
/// again. At most <see cref="Capacity"/> are kept, the least recently used dropped first. Safe from several threads.
/// </summary>
public sealed class TokenizerCache
{
    public const int Capacity = 4;

    private readonly LinkedList<(string Key, LoadedTokenizer Tokenizer)> _kept = [];

    /// <summary>The tokenizer of <paramref name="settings"/>, loaded (<see cref="TokenizerLoader.Load"/>) unless kept.</summary>
    public LoadedTokenizer Load(TokenizerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (KeyOf(settings) is not { } key)
        {
            return TokenizerLoader.Load(settings);
        }

        lock (_kept)
        {
            for (var node = _kept.First; node is not null; node = node.Next)
            {
                if (node.Value.Key == key)
                {
                    _kept.Remove(node);
                    _kept.AddFirst(node);
                    return node.Value.Tokenizer;
                }
            }
        }

        var tokenizer = TokenizerLoader.Load(settings);
        lock (_kept)
        {
            _kept.AddFirst((key, tokenizer));
            while (_kept.Count > Capacity)
            {
                _kept.RemoveLast();
            }
        }

        return tokenizer;
    }

    /// <summary>What decides the loaded tokenizer: the settings, and the content of the files they name; null for a folder (not kept).</summary>
    private static string? KeyOf(TokenizerSettings settings)
    {
        var key = $"{settings.Kind}\n{settings.Encoding}\n{settings.Path}";
        if (settings.Path is { } path)
        {
            if (Directory.Exists(path))
            {
                return null;
            }

            var config = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", TokenizerLoader.HuggingFaceConfigFileName);
            key += $"\n{(File.Exists(path) ? ContentHash.OfFile(path) : "-")}\n{(File.Exists(config) ? ContentHash.OfFile(config) : "-")}";
        }

        return key;
    }
}
