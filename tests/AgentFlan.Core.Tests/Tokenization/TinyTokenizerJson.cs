using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentFlan.Core.Tests.Tokenization;

/// <summary>
/// Writes a small byte-level BPE <c>tokenizer.json</c> in the Hugging Face layout: the 256 byte symbols
/// (GPT-2's byte-to-character table), a few merges, and added tokens. Hand-made so the expected ids are known.
/// </summary>
internal static class TinyTokenizerJson
{
    /// <summary>Merges in priority order; each produces the concatenated symbol.</summary>
    public static readonly string[] Merges = ["h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "l d", "Ġwor ld"];

    public static readonly string[] Added = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

    /// <summary>GPT-2's reversible byte → printable character map.</summary>
    public static char ByteChar(int b)
    {
        int n = 0;
        for (int x = 0; x < 256; x++)
        {
            bool printable = x is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            if (x == b)
            {
                return printable ? (char)x : (char)(256 + n);
            }

            if (!printable)
            {
                n++;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(b));
    }

    public static Dictionary<string, int> Vocabulary()
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int b = 0; b < 256; b++)
        {
            vocab[ByteChar(b).ToString()] = b;
        }

        foreach (var merge in Merges)
        {
            vocab[merge.Replace(" ", string.Empty, StringComparison.Ordinal)] = vocab.Count;
        }

        return vocab;
    }

    public static int Id(string symbol) => Vocabulary()[symbol];

    public static int AddedId(string token) => 1000 + Array.IndexOf(Added, token);

    /// <param name="style">"gpt2": ByteLevel pre-tokenizer with its regex; "llama3": Split regex + ByteLevel without regex, merges as pairs.</param>
    public static string Json(string style = "gpt2", string modelType = "BPE")
    {
        var vocab = new JsonObject();
        foreach (var (token, id) in Vocabulary())
        {
            vocab[token] = id;
        }

        var merges = new JsonArray();
        foreach (var merge in Merges)
        {
            merges.Add(style == "llama3" ? new JsonArray(merge.Split(' ')[0], merge.Split(' ')[1]) : JsonValue.Create(merge));
        }

        var added = new JsonArray();
        foreach (var token in Added)
        {
            added.Add(new JsonObject { ["id"] = AddedId(token), ["content"] = token, ["special"] = true });
        }

        JsonNode pre = style == "llama3"
            ? new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+" }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["use_regex"] = false }),
            }
            : new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["use_regex"] = true };

        return new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = style == "llama3" ? null : new JsonObject { ["type"] = "NFC" },
            ["pre_tokenizer"] = pre,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject { ["type"] = modelType, ["vocab"] = vocab, ["merges"] = merges },
        }.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
