using AgentFlan.Compilation;
using AgentFlan.Diagnostics;
using AgentFlan.Hashing;
using AgentFlan.Recipes;
using Microsoft.ML.Tokenizers;

namespace AgentFlan.Tokenization;

/// <summary>Loads tokenizers from local data only (no download ever happens).</summary>
public static class TokenizerLoader
{
    public static IReadOnlyList<string> BuiltInEncodings { get; } = ["gpt2", "cl100k_base", "o200k_base"];

    public static LoadedTokenizer Load(TokenizerSettings settings)
    {
        try
        {
            return settings.Kind switch
            {
                "tiktoken" => LoadTiktoken(settings.Encoding),
                "sentencepiece" => LoadSentencePiece(settings.Path!),
                _ => throw Unavailable(settings, "Hugging Face tokenizer.json files are not supported by this version yet; use a SentencePiece .model or a built-in tiktoken encoding"),
            };
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or FormatException)
        {
            throw Unavailable(settings, e.Message);
        }
    }

    private static LoadedTokenizer LoadTiktoken(string encoding)
    {
        var tokenizer = encoding switch
        {
            "gpt2" => TiktokenTokenizer.CreateForModel("gpt2"),
            "cl100k_base" => TiktokenTokenizer.CreateForEncoding("cl100k_base"),
            "o200k_base" => TiktokenTokenizer.CreateForEncoding("o200k_base"),
            _ => throw new ArgumentException($"Unknown encoding '{encoding}'."),
        };

        if (tokenizer.SpecialTokens is not { } special || !special.TryGetValue("<|endoftext|>", out var endOfText))
        {
            throw new InvalidOperationException($"Tokenizer '{encoding}' has no <|endoftext|> token.");
        }

        // The data package's version pins the vocabulary: hash it together with the encoding name.
        var dataVersion = typeof(TiktokenTokenizer).Assembly.GetName().Version?.ToString() ?? "0";
        var vocabularySize = special.Values.Append(endOfText).Max() + 1;
        return new LoadedTokenizer(tokenizer, new TokenizerInfo("tiktoken", encoding, ContentHash.OfText($"tiktoken/{encoding}/{dataVersion}"), vocabularySize, endOfText));
    }

    private static LoadedTokenizer LoadSentencePiece(string path)
    {
        using var stream = File.OpenRead(path);
        var tokenizer = LlamaTokenizer.Create(stream, addBeginOfSentence: false, addEndOfSentence: false);
        return new LoadedTokenizer(tokenizer, new TokenizerInfo(
            "sentencepiece",
            Path.GetFileName(path),
            ContentHash.OfFile(path),
            tokenizer.Vocabulary.Count,
            tokenizer.EndOfSentenceId));
    }

    private static DiagnosticException Unavailable(TokenizerSettings settings, string why) =>
        new(Diagnostic.Error(DiagnosticCodes.TokenizerUnavailable, $"Tokenizer '{settings.Path ?? settings.Encoding}' cannot be loaded: {why}", settings.Path));
}
