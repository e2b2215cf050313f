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
        TiktokenTokenizer tokenizer;
        try
        {
            tokenizer = settings.Encoding switch
            {
                "gpt2" => TiktokenTokenizer.CreateForModel("gpt2"),
                "cl100k_base" => TiktokenTokenizer.CreateForEncoding("cl100k_base"),
                "o200k_base" => TiktokenTokenizer.CreateForEncoding("o200k_base"),
                _ => throw new ArgumentException($"Unknown encoding '{settings.Encoding}'."),
            };
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.TokenizerUnavailable, $"Tokenizer '{settings.Encoding}' cannot be loaded: {e.Message}"));
        }

        var endOfText = tokenizer.SpecialTokens is { } special && special.TryGetValue("<|endoftext|>", out var id)
            ? id
            : throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.TokenizerUnavailable, $"Tokenizer '{settings.Encoding}' has no <|endoftext|> token."));

        // The data package's version pins the vocabulary: hash it together with the encoding name.
        var dataVersion = typeof(TiktokenTokenizer).Assembly.GetName().Version?.ToString() ?? "0";
        var vocabularySize = tokenizer.SpecialTokens.Values.Append(endOfText).Max() + 1;
        var info = new TokenizerInfo(
            Kind: "tiktoken",
            Name: settings.Encoding,
            Hash: ContentHash.OfText($"tiktoken/{settings.Encoding}/{dataVersion}"),
            VocabularySize: vocabularySize,
            EndOfText: endOfText);
        return new LoadedTokenizer(tokenizer, info);
    }
}
