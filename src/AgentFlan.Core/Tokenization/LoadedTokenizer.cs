using AgentFlan.Compilation;
using Microsoft.ML.Tokenizers;

namespace AgentFlan.Tokenization;

/// <summary>A tokenizer together with its identity (content hash, vocabulary size, end-of-text id).</summary>
public sealed record LoadedTokenizer(Tokenizer Tokenizer, TokenizerInfo Info)
{
    public IReadOnlyList<int> Encode(string text) =>
        text.Length == 0 ? [] : Tokenizer.EncodeToIds(text, considerPreTokenization: true, considerNormalization: true);
}
