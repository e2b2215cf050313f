using System.Runtime.CompilerServices;
using System.Text;
using AgentFlan.Conversations;

namespace AgentFlan.Transforms;

/// <summary>
/// Removes training conversations that overlap the held-out evaluation queries. Text is compared as lower-cased
/// word n-grams; a conversation goes when any of its user turns shares at least <c>threshold</c> of its n-grams
/// with the evaluation queries (a turn shorter than n words counts as one n-gram of its whole text). Removals are
/// counted per source for the report.
/// </summary>
public sealed class Decontaminator
{
    // FNV-1a for each word, a polynomial over the words for each window (wrapping arithmetic).
    private const ulong WordSeed = 0xCBF29CE484222325;
    private const ulong Prime = 0x100000001B3;
    private const ulong Base = 0x9E3779B97F4A7C15;

    private readonly HashSet<string> _held = new(StringComparer.Ordinal);

    /// <summary>Each held n-gram's <see cref="GramHash"/>: a window of a training turn is compared as a string only when its hash is here.</summary>
    private readonly HashSet<ulong> _heldHashes = [];
    /// <summary>This thread's buffers for <see cref="Overlap"/> (renting four arrays per turn from the shared pool cost more than the scan).</summary>
    [ThreadStatic]
    private static Scratch? _scratch;

    private readonly int _n;
    private readonly ulong _baseToN;
    private readonly double _threshold;

    /// <param name="n">Words per n-gram; 0 or less turns decontamination off.</param>
    public Decontaminator(IEnumerable<string> heldOutQueries, int n, double threshold)
    {
        ArgumentNullException.ThrowIfNull(heldOutQueries);
        _n = n;
        _threshold = threshold;
        if (n > 0)
        {
            foreach (var gram in heldOutQueries.SelectMany(q => NGrams(q, n)))
            {
                if (_held.Add(gram))
                {
                    _heldHashes.Add(GramHash(gram));
                }
            }

            Identity = Hashing.ContentHash.OfText(string.Join('\n', new[] { $"n={n} threshold={threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}" }.Concat(_held.Order(StringComparer.Ordinal))));
            _baseToN = 1;
            for (int i = 0; i < n - 1; i++)
            {
                _baseToN = unchecked(_baseToN * Base);
            }
        }
    }

    /// <summary>Names what decides contamination — n, threshold and the held n-grams — so a remembered verdict is reused only against the same queries.</summary>
    public string Identity { get; } = string.Empty;

    /// <summary>Whether any user turn of <paramref name="conversation"/> overlaps the held-out queries enough to go.</summary>
    public bool IsContaminated(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return _n > 0 && conversation.Messages.Any(m => m.Role == Role.User && Overlap(m.Content) >= _threshold);
    }

    public static List<Conversation> Apply(IReadOnlyList<Conversation> conversations, IEnumerable<string> heldOutQueries, int n, double threshold, SortedDictionary<string, long> removedBySource)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        ArgumentNullException.ThrowIfNull(removedBySource);
        var decontaminator = new Decontaminator(heldOutQueries, n, threshold);
        var kept = new List<Conversation>(conversations.Count);
        foreach (var conversation in conversations)
        {
            if (decontaminator.IsContaminated(conversation))
            {
                var source = conversation.Provenance.Source;
                removedBySource[source] = removedBySource.GetValueOrDefault(source) + 1;
                continue;
            }

            kept.Add(conversation);
        }

        return kept;
    }

    /// <summary>
    /// The share of <paramref name="text"/>'s n-grams that are held, the same as counting <see cref="NGrams"/>, without
    /// a string per word or n-gram: each word is hashed once as it is lower-cased into one buffer (words separated by
    /// single spaces), each window's hash rolls from the previous one, and only a window whose hash is held is looked
    /// up as a slice of the buffer — so the count is exact, and a turn with no overlap costs one pass over its text.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal double Overlap(string? text)
    {
        if (_n <= 0 || string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var scratch = _scratch ??= new Scratch();
        scratch.Reserve(text.Length);
        var (buffer, starts, ends, hashes) = (scratch.Text, scratch.Starts, scratch.Ends, scratch.Hashes);
        int length = 0, words = 0;
        ulong word = 0;
        var inWord = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (!inWord)
                {
                    if (words > 0)
                    {
                        buffer[length++] = ' ';
                    }

                    starts[words] = length;
                    word = WordSeed;
                    inWord = true;
                }

                var lower = char.ToLowerInvariant(c);
                buffer[length++] = lower;
                word = unchecked((word ^ lower) * Prime);
            }
            else if (inWord)
            {
                hashes[words] = Mix(word);
                ends[words++] = length;
                inWord = false;
            }
        }

        if (inWord)
        {
            hashes[words] = Mix(word);
            ends[words++] = length;
        }

        if (words == 0)
        {
            return 0;
        }

        var lookup = _held.GetAlternateLookup<ReadOnlySpan<char>>();
        if (words < _n)
        {
            return lookup.Contains(buffer.AsSpan(0, length)) ? 1 : 0;
        }

        ulong window = 0;
        for (int i = 0; i < _n; i++)
        {
            window = unchecked((window * Base) + hashes[i]);
        }

        int grams = words - _n + 1, found = 0;
        for (int i = 0; ; i++)
        {
            if (_heldHashes.Contains(window) && lookup.Contains(buffer.AsSpan(starts[i], ends[i + _n - 1] - starts[i])))
            {
                found++;
            }

            if (i + 1 == grams)
            {
                break;
            }

            window = unchecked(((window - (hashes[i] * _baseToN)) * Base) + hashes[i + _n]);
        }

        return (double)found / grams;
    }

    /// <summary>The rolling hash <see cref="Overlap"/> computes for a window, of an n-gram string (its words joined by single spaces).</summary>
    private static ulong GramHash(string gram)
    {
        ulong window = 0;
        foreach (var part in gram.Split(' '))
        {
            ulong word = WordSeed;
            foreach (var c in part)
            {
                word = unchecked((word ^ c) * Prime);
            }

            window = unchecked((window * Base) + Mix(word));
        }

        return window;
    }

    /// <summary>Spreads a word's FNV-1a hash over all 64 bits (the finaliser of MurmurHash3), so windows combine well.</summary>
    private static ulong Mix(ulong x)
    {
        unchecked
        {
            x ^= x >> 33;
            x *= 0xFF51AFD7ED558CCD;
            x ^= x >> 33;
            x *= 0xC4CEB9FE1A85EC53;
            x ^= x >> 33;
            return x;
        }
    }

    internal static List<string> NGrams(string text, int n)
    {
        var words = Words(text);
        if (words.Length == 0)
        {
            return [];
        }

        if (words.Length < n)
        {
            return [string.Join(' ', words)];
        }

        var grams = new List<string>(words.Length - n + 1);
        for (int i = 0; i + n <= words.Length; i++)
        {
            grams.Add(string.Join(' ', words, i, n));
        }

        return grams;
    }

    private static string[] Words(string text) => [.. WordList(text)];

    private static List<string> WordList(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private sealed class Scratch
    {
        public char[] Text { get; private set; } = [];

        public int[] Starts { get; private set; } = [];

        public int[] Ends { get; private set; } = [];

        public ulong[] Hashes { get; private set; } = [];

        /// <summary>Room for a text of <paramref name="length"/> characters (at most one word per two characters, plus one).</summary>
        public void Reserve(int length)
        {
            if (Text.Length <= length)
            {
                int size = Math.Max(length + 1, 1024) * 2, words = (size / 2) + 2;
                (Text, Starts, Ends, Hashes) = (new char[size], new int[words], new int[words], new ulong[words]);
            }
        }
    }
}
