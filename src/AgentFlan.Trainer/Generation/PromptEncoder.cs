using AgentFlan.Tokenization;
using AgentFlan.Trainer.Data;

namespace AgentFlan.Trainer.Generation;

/// <summary>
/// Text ↔ model ids through the tokenizer and the checkpoint's vocabulary map. A compact vocabulary holds only
/// the ids seen in training, so a held-out prompt may contain a token the model has no row for: that token's
/// text is re-encoded one character at a time (byte-level BPE tokenizers have a token for every byte, and those
/// are nearly always in the map); a token that still does not fit is dropped. Both are counted.
/// </summary>
public sealed class PromptEncoder(LoadedTokenizer tokenizer, TokenVocabulary vocabulary)
{
    public int Remapped { get; private set; }

    public int Dropped { get; private set; }

    public int[] Encode(string text)
    {
        var ids = new List<int>();
        foreach (var id in tokenizer.Encode(text))
        {
            int row = vocabulary.ToModel(id);
            if (row >= 0)
            {
                ids.Add(row);
                continue;
            }

            var piece = tokenizer.Tokenizer.Decode([id]) ?? string.Empty;
            var rows = new List<int>();
            foreach (var rune in piece.EnumerateRunes())
            {
                rows.AddRange(tokenizer.Encode(rune.ToString()).Select(vocabulary.ToModel));
            }

            if (rows.Count > 0 && rows.TrueForAll(r => r >= 0))
            {
                ids.AddRange(rows);
                Remapped++;
            }
            else
            {
                Dropped++;
            }
        }

        return [.. ids];
    }

    public string Decode(IReadOnlyList<int> modelIds) =>
        tokenizer.Tokenizer.Decode(modelIds.Select(vocabulary.ToTokenizer)) ?? string.Empty;
}
