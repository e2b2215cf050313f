using System.Buffers;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using AgentFlan.Compilation;
using Microsoft.ML.Tokenizers;

namespace AgentFlan.Tokenization;

/// <summary>
/// A tokenizer together with its identity (content hash, vocabulary size, end-of-text id) and its special
/// tokens. <see cref="Encode(string)"/> turns the text of a special token into its single id wherever it
/// occurs (the rest is ordinary BPE), so a template marker such as <c>&lt;|im_start|&gt;</c> is one token
/// when the tokenizer defines it and ordinary text when it does not.
/// </summary>
/// <remarks>
/// One instance is not meant to be shared by threads that encode at full speed: a pre-tokenizer
/// <see cref="System.Text.RegularExpressions.Regex"/> shared by two threads costs a new matcher per pre-token
/// (<see cref="TiktokenEncodings"/>), and the SentencePiece and Hugging Face tokenizers keep per-instance caches.
/// <see cref="CreateInstance"/> gives each worker its own copy of what must not be shared.
/// </remarks>
public sealed record LoadedTokenizer(Tokenizer Tokenizer, TokenizerInfo Info)
{
    private readonly IReadOnlyDictionary<string, int> _specialTokens = FrozenDictionary<string, int>.Empty;
    private SearchValues<string>? _specialSearch;

    /// <summary>Special (and added) token text → id. Empty when the tokenizer has none.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens
    {
        get => _specialTokens;
        init
        {
            _specialTokens = value.ToFrozenDictionary(StringComparer.Ordinal);
            _specialSearch = _specialTokens.Count == 0 ? null : SearchValues.Create([.. _specialTokens.Keys], StringComparison.Ordinal);
        }
    }

    /// <summary>The <see cref="Tokenizer"/> for a worker copy: a fresh one, or this one where it is safe and cheap to share (null: share everything).</summary>
    internal Func<Tokenizer>? Factory { get; init; }

    /// <summary>
    /// Encodes plain text (no special tokens) in place of the library's own pre-tokenizing encoder, with the same
    /// ids (null: the library encodes). Set for the tiktoken encodings (<see cref="TiktokenEncodings"/>).
    /// </summary>
    internal WordEncoder? Words { get; init; }

    /// <summary>Worker copies given back (<see cref="ReturnInstance"/>); every copy of this tokenizer shares them.</summary>
    private readonly System.Collections.Concurrent.ConcurrentBag<LoadedTokenizer> _returned = [];

    /// <summary>A copy for one worker thread: its own pre-tokenizer regex, and its own tokenizer instance where that keeps caches.</summary>
    public LoadedTokenizer CreateInstance()
    {
        if (Factory is null)
        {
            return this;
        }

        return this with { Tokenizer = Factory(), Words = Words?.CreateInstance() };
    }

    /// <summary>
    /// A worker copy as <see cref="CreateInstance"/> makes, one given back by an earlier worker when there is one: a
    /// copy's compiled regex is emitted and JIT-compiled on its first use (milliseconds at the start of every compile
    /// of a long-lived process, on a worker the others then wait for). Give it back with <see cref="ReturnInstance"/>.
    /// </summary>
    public LoadedTokenizer RentInstance() => _returned.TryTake(out var instance) ? instance : CreateInstance();

    /// <summary>Gives back a copy from <see cref="RentInstance"/> once its worker is done with it.</summary>
    public void ReturnInstance(LoadedTokenizer instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!ReferenceEquals(instance, this) && Factory is not null)
        {
            _returned.Add(instance);
        }
    }

    /// <summary>Whether <paramref name="text"/> is a special token of this tokenizer, and its id.</summary>
    public bool TryGetSpecialToken(string text, out int id) => _specialTokens.TryGetValue(text, out id);

    public IReadOnlyList<int> Encode(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        // Without a word encoder, the common case (no special-token text) returns the library's list as is: no copy.
        if (Words is null && (_specialSearch is null || !text.AsSpan().ContainsAny(_specialSearch)))
        {
            return Tokenizer.EncodeToIds(text, considerPreTokenization: true, considerNormalization: true);
        }

        // About one token per four characters of English or JSON: room enough that the list rarely grows.
        var ids = new List<int>((text.Length / 3) + 1);
        EncodeTo(text, ids);
        return ids;
    }

    /// <summary>Appends the ids of <paramref name="text"/> to <paramref name="ids"/>; special-token text becomes its single id.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void EncodeTo(ReadOnlySpan<char> text, List<int> ids)
    {
        while (text.Length > 0)
        {
            int at = _specialSearch is null ? -1 : text.IndexOfAny(_specialSearch);
            var plain = at < 0 ? text : text[..at];
            if (plain.Length > 0 && Words is not null)
            {
                Words.EncodeTo(plain, ids);
            }
            else if (plain.Length > 0)
            {
                ids.AddRange(Tokenizer.EncodeToIds(plain, considerPreTokenization: true, considerNormalization: true));
            }

            if (at < 0)
            {
                return;
            }

            var (token, id) = LongestSpecialAt(text[at..]);
            ids.Add(id);
            text = text[(at + token)..];
        }
    }

    private (int Length, int Id) LongestSpecialAt(ReadOnlySpan<char> text)
    {
        (int Length, int Id) best = (0, 0);
        foreach (var (token, id) in _specialTokens)
        {
            if (token.Length > best.Length && text.StartsWith(token, StringComparison.Ordinal))
            {
                best = (token.Length, id);
            }
        }

        return best;
    }
}
