using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace AgentFlan.Tokenization;

/// <summary>
/// Reads a Hugging Face <c>tokenizer.json</c> whose model is byte-level BPE (GPT-2, Llama 3, Qwen 2 and
/// Mistral's newer files) into Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>: vocabulary, merges (both
/// the <c>"a b"</c> and the <c>["a","b"]</c> spellings), the pre-tokenizer's split pattern, an NFC
/// normalizer when one is declared, and every added token (matched whole, before BPE).
/// Anything the file asks for that this reader cannot reproduce exactly is refused with the reason,
/// never approximated silently.
/// </summary>
public sealed class HuggingFaceTokenizerFile
{
    /// <summary>GPT-2's split pattern: what a ByteLevel pre-tokenizer with <c>use_regex: true</c> applies.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>Names tried, in order, for the end-of-text token when no <c>tokenizer_config.json</c> names one.</summary>
    public static IReadOnlyList<string> EndOfTextCandidates { get; } = ["<|endoftext|>", "<|end_of_text|>", "</s>", "<eos>", "<|im_end|>"];

    private HuggingFaceTokenizerFile(Dictionary<string, int> vocabulary, List<string> merges, Dictionary<string, int> addedTokens, string? pattern, bool nfc, string? unknownToken)
    {
        Vocabulary = vocabulary;
        Merges = merges;
        AddedTokens = addedTokens;
        Pattern = pattern;
        Nfc = nfc;
        UnknownToken = unknownToken;
    }

    public IReadOnlyDictionary<string, int> Vocabulary { get; }

    public IReadOnlyList<string> Merges { get; }

    /// <summary>Added tokens (special or not): each is matched as a whole before BPE runs.</summary>
    public IReadOnlyDictionary<string, int> AddedTokens { get; }

    /// <summary>The pre-tokenizer's split pattern, or null when the file splits nothing.</summary>
    public string? Pattern { get; }

    public bool Nfc { get; }

    public string? UnknownToken { get; }

    public int VocabularySize => Math.Max(Vocabulary.Values.DefaultIfEmpty(-1).Max(), AddedTokens.Values.DefaultIfEmpty(-1).Max()) + 1;

    /// <summary>Parses the file; throws <see cref="FormatException"/> naming what is missing or unsupported.</summary>
    public static HuggingFaceTokenizerFile Parse(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the file has no 'model' object (is it a Hugging Face tokenizer.json?)");
        }

        var type = model.TryGetProperty("type", out var t) ? t.GetString() : "BPE";
        if (type != "BPE")
        {
            throw new FormatException($"model type '{type}' is not supported (only BPE; use the SentencePiece .model for Unigram tokenizers)");
        }

        if (Flag(model, "byte_fallback"))
        {
            throw new FormatException("byte_fallback BPE (SentencePiece-style, e.g. Llama 2 / Mistral v1 tokenizer.json) is not supported; point tokenizer.path at the tokenizer.model file with kind: sentencepiece");
        }

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("model.vocab is missing");
        }

        foreach (var entry in vocab.EnumerateObject())
        {
            vocabulary[entry.Name] = entry.Value.GetInt32();
        }

        var merges = new List<string>();
        if (model.TryGetProperty("merges", out var mergeList))
        {
            foreach (var merge in mergeList.EnumerateArray())
            {
                merges.Add(merge.ValueKind == JsonValueKind.Array
                    ? merge[0].GetString() + " " + merge[1].GetString()
                    : merge.GetString() ?? throw new FormatException("a merge is null"));
            }
        }

        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root.TryGetProperty("added_tokens", out var addedList) && addedList.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in addedList.EnumerateArray())
            {
                added[token.GetProperty("content").GetString()!] = token.GetProperty("id").GetInt32();
            }
        }

        var unknown = model.TryGetProperty("unk_token", out var unk) && unk.ValueKind == JsonValueKind.String ? unk.GetString() : null;
        var pattern = ReadPattern(root.TryGetProperty("pre_tokenizer", out var pre) ? pre : default);
        return new HuggingFaceTokenizerFile(vocabulary, merges, added, pattern, ReadNfc(root), unknown);
    }

    /// <summary>The end-of-text id: <c>eos_token</c> of a <c>tokenizer_config.json</c> when given, else the first known name.</summary>
    public int EndOfText(byte[]? config)
    {
        if (config is not null)
        {
            using var document = JsonDocument.Parse(config);
            if (document.RootElement.TryGetProperty("eos_token", out var eos))
            {
                var name = eos.ValueKind == JsonValueKind.Object ? eos.GetProperty("content").GetString() : eos.GetString();
                if (name is not null && (AddedTokens.TryGetValue(name, out var id) || Vocabulary.TryGetValue(name, out id)))
                {
                    return id;
                }

                throw new FormatException($"tokenizer_config.json names eos_token '{name}', which the tokenizer does not define");
            }
        }

        foreach (var candidate in EndOfTextCandidates)
        {
            if (AddedTokens.TryGetValue(candidate, out var id))
            {
                return id;
            }
        }

        throw new FormatException($"no end-of-text token: none of {string.Join(", ", EndOfTextCandidates)} is an added token, and no tokenizer_config.json names eos_token");
    }

    /// <summary>Builds a new tokenizer instance (each worker thread gets its own).</summary>
    public Tokenizer CreateTokenizer()
    {
        var options = new BpeOptions(Vocabulary)
        {
            Merges = Merges,
            ByteLevel = true,
            UnknownToken = UnknownToken,
            SpecialTokens = AddedTokens.Count == 0 ? null : AddedTokens,
            Normalizer = Nfc ? new NfcNormalizer() : null,
            PreTokenizer = Pattern is null ? null : new RegexPreTokenizer(new Regex(Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant), specialTokens: null),
        };
        return BpeTokenizer.Create(options);
    }

    private static string? ReadPattern(JsonElement pre)
    {
        if (pre.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var type = pre.GetProperty("type").GetString();
        switch (type)
        {
            case "ByteLevel":
                if (Flag(pre, "add_prefix_space"))
                {
                    throw new FormatException("a ByteLevel pre-tokenizer with add_prefix_space: true is not supported");
                }

                return !pre.TryGetProperty("use_regex", out var useRegex) || useRegex.GetBoolean() ? Gpt2Pattern : null;
            case "Split":
                if (pre.TryGetProperty("behavior", out var behavior) && behavior.GetString() != "Isolated")
                {
                    throw new FormatException($"Split behavior '{behavior.GetString()}' is not supported (only Isolated)");
                }

                if (Flag(pre, "invert"))
                {
                    throw new FormatException("an inverted Split pre-tokenizer is not supported");
                }

                var regex = pre.GetProperty("pattern");
                return regex.TryGetProperty("Regex", out var r) ? r.GetString() : Regex.Escape(regex.GetProperty("String").GetString()!);
            case "Sequence":
                var patterns = pre.GetProperty("pretokenizers").EnumerateArray().Select(ReadPattern).OfType<string>().ToList();
                return patterns.Count switch
                {
                    0 => null,
                    1 => patterns[0],
                    _ => throw new FormatException("more than one splitting pre-tokenizer in a Sequence is not supported"),
                };
            default:
                throw new FormatException($"pre-tokenizer '{type}' is not supported (ByteLevel, Split or a Sequence of them)");
        }
    }

    private static bool ReadNfc(JsonElement root)
    {
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var type = normalizer.GetProperty("type").GetString();
        return type switch
        {
            "NFC" => true,
            "Sequence" when normalizer.GetProperty("normalizers").GetArrayLength() == 0 => false,
            _ => throw new FormatException($"normalizer '{type}' is not supported (only NFC)"),
        };
    }

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private sealed class NfcNormalizer : Normalizer
    {
        public override string Normalize(string original) => original.Normalize(NormalizationForm.FormC);

        public override string Normalize(ReadOnlySpan<char> original) => original.ToString().Normalize(NormalizationForm.FormC);
    }
}
