using Microsoft.ML.Tokenizers;

namespace AgentFlan.Tokenization;

/// <summary>The built-in tiktoken encodings, from the Microsoft.ML.Tokenizers data packages, and their pre-tokenizer patterns.</summary>
/// <remarks>
/// <see cref="TiktokenTokenizer.CreateForModel(string, IReadOnlyDictionary{string, int}?, Normalizer?)"/> gives every
/// instance the same source-generated <see cref="System.Text.RegularExpressions.Regex"/> as pre-tokenizer, and a
/// Regex keeps one cached matcher: a second thread matching at the same time builds a new one for every
/// pre-token. So two threads, each with its own library instance, allocated 3.5-8x what one thread did and ran
/// no faster than one (bench/CompileBench; docs/tokenization.md). <see cref="WordEncoder"/> splits with its own
/// compiled Regex per worker, from the library's pattern copied below (Microsoft.ML.Tokenizers 2.0.1; a test
/// checks that it still is the library's).
/// </remarks>
internal static class TiktokenEncodings
{
    public static TiktokenTokenizer Create(string encoding) => encoding switch
    {
        "gpt2" => TiktokenTokenizer.CreateForModel("gpt2"),
        "cl100k_base" or "o200k_base" => TiktokenTokenizer.CreateForEncoding(encoding),
        _ => throw new ArgumentException($"Unknown encoding '{encoding}'."),
    };

    /// <summary>The pre-tokenizer pattern the library uses for <paramref name="encoding"/>.</summary>
    public static string Pattern(string encoding) => encoding switch
    {
        "gpt2" => @"'(?:[sdmt]|ll|ve|re)| ?(?>\p{L}+)| ?(?>\p{N}+)| ?(?>[^\s\p{L}\p{N}]+)|(?>\s+)$|\s+(?!\S)|\s",
        "cl100k_base" => @"'(?i:[sdmt]|ll|ve|re)|(?>[^\r\n\p{L}\p{N}]?)(?>\p{L}+)|(?>\p{N}{1,3})| ?(?>[^\s\p{L}\p{N}]+)(?>[\r\n]*)|(?>\s+)$|\s*[\r\n]|\s+(?!\S)|\s",
        "o200k_base" => @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        _ => throw new ArgumentException($"Unknown encoding '{encoding}'."),
    };
}
