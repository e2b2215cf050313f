using AgentFlan.Compilation;
using AgentFlan.Diagnostics;
using AgentFlan.Hashing;
using AgentFlan.Recipes;
using Microsoft.ML.Tokenizers;

namespace AgentFlan.Tokenization;

/// <summary>
/// Loads tokenizers from local data only (no download ever happens): the tiktoken encodings shipped in the
/// Microsoft.ML.Tokenizers data packages, a SentencePiece <c>.model</c> (Llama 2 family), or a Hugging Face
/// <c>tokenizer.json</c> with byte-level BPE (Llama 3, Qwen 2, GPT-2 style). A tokenizer's identity is a
/// hash of its content, never its file name.
/// </summary>
public static class TokenizerLoader
{
    public const string HuggingFaceConfigFileName = "tokenizer_config.json";

    public static IReadOnlyList<string> BuiltInEncodings { get; } = ["gpt2", "cl100k_base", "o200k_base"];

    public static LoadedTokenizer Load(TokenizerSettings settings)
    {
        try
        {
            return settings.Kind switch
            {
                "tiktoken" => LoadTiktoken(settings.Encoding),
                "sentencepiece" => LoadSentencePiece(settings.Path!),
                "huggingface" => LoadHuggingFace(settings.Path!),
                _ => throw new ArgumentException($"Unknown tokenizer kind '{settings.Kind}'."),
            };
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or FormatException or System.Text.Json.JsonException or KeyNotFoundException or UnauthorizedAccessException)
        {
            throw Unavailable(settings, e.Message);
        }
    }

    /// <summary>
    /// The recipe-time check: loads the tokenizer (so a missing, unreadable or unsupported file is reported
    /// when the recipe is validated, not halfway through a compile) and checks that every token in
    /// <paramref name="requiredSpecialTokens"/> is a single special token of it. Returns the diagnostics.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Validate(TokenizerSettings settings, IEnumerable<string>? requiredSpecialTokens = null, string? recipeFile = null)
    {
        LoadedTokenizer tokenizer;
        try
        {
            tokenizer = Load(settings);
        }
        catch (DiagnosticException e)
        {
            return [.. e.Diagnostics.Select(d => d with { File = recipeFile ?? d.File })];
        }

        var missing = (requiredSpecialTokens ?? []).Distinct(StringComparer.Ordinal).Where(t => !tokenizer.TryGetSpecialToken(t, out _)).ToList();
        return missing.Count == 0 ? [] :
        [
            Diagnostic.Error(
                DiagnosticCodes.SpecialTokenMissing,
                $"The chat template needs the special token(s) {string.Join(", ", missing.Select(m => $"'{m}'"))}, which tokenizer '{tokenizer.Info.Name}' does not define; they would be split into ordinary text pieces. Use a tokenizer of the template's family or a template without special tokens.",
                recipeFile),
        ];
    }

    private static LoadedTokenizer LoadTiktoken(string encoding)
    {
        var tokenizer = TiktokenEncodings.Create(encoding);
        if (tokenizer.SpecialTokens is not { } special || !special.TryGetValue("<|endoftext|>", out var endOfText))
        {
            throw new InvalidOperationException($"Tokenizer '{encoding}' has no <|endoftext|> token.");
        }

        // The data package's version pins the vocabulary: hash it together with the encoding name.
        var dataVersion = typeof(TiktokenTokenizer).Assembly.GetName().Version?.ToString() ?? "0";
        var vocabularySize = special.Values.Append(endOfText).Max() + 1;
        return new LoadedTokenizer(tokenizer, new TokenizerInfo("tiktoken", encoding, ContentHash.OfText($"tiktoken/{encoding}/{dataVersion}"), vocabularySize, endOfText))
        {
            SpecialTokens = special,

            // Workers share the library's tokenizer (its vocabulary is 10-21 MB and 40-220 ms to load; its
            // cache takes a lock, but only words the memo has not seen reach it) and each gets its own
            // WordEncoder with its own regex (TiktokenEncodings says why it must not be shared) over a shared word memo.
            Factory = () => tokenizer,
            Words = new WordEncoder(tokenizer, TiktokenEncodings.Pattern(encoding)),
        };
    }

    private static LoadedTokenizer LoadSentencePiece(string path)
    {
        var bytes = File.ReadAllBytes(path);
        LlamaTokenizer Create() => LlamaTokenizer.Create(new MemoryStream(bytes, writable: false), addBeginOfSentence: false, addEndOfSentence: false);
        var tokenizer = Create();
        var special = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            [tokenizer.BeginningOfSentenceToken] = tokenizer.BeginningOfSentenceId,
            [tokenizer.EndOfSentenceToken] = tokenizer.EndOfSentenceId,
        };
        return new LoadedTokenizer(tokenizer, new TokenizerInfo(
            "sentencepiece",
            Path.GetFileName(path),
            ContentHash.OfBytes(bytes),
            tokenizer.Vocabulary.Count,
            tokenizer.EndOfSentenceId))
        {
            SpecialTokens = special,
            Factory = Create,
        };
    }

    private static LoadedTokenizer LoadHuggingFace(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var file = HuggingFaceTokenizerFile.Parse(bytes);
        var configPath = Path.Combine(Path.GetDirectoryName(path)!, HuggingFaceConfigFileName);
        var config = File.Exists(configPath) ? File.ReadAllBytes(configPath) : null;
        var endOfText = file.EndOfText(config);

        // Identity: the tokenizer file plus the end-of-text choice (the only thing read from the config).
        var hash = ContentHash.OfText(ContentHash.OfBytes(bytes) + "/eot=" + endOfText);
        return new LoadedTokenizer(file.CreateTokenizer(), new TokenizerInfo("huggingface", Path.GetFileName(path), hash, file.VocabularySize, endOfText))
        {
            SpecialTokens = file.AddedTokens,
            Factory = file.CreateTokenizer,
        };
    }

    private static DiagnosticException Unavailable(TokenizerSettings settings, string why) =>
        new(Diagnostic.Error(DiagnosticCodes.TokenizerUnavailable, $"Tokenizer '{settings.Path ?? settings.Encoding}' cannot be loaded: {why}", settings.Path));
}
