using System.Buffers;
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
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private readonly int _n;
    private readonly double _threshold;

    /// <param name="n">Words per n-gram; 0 or less turns decontamination off.</param>
    public Decontaminator(IEnumerable<string> heldOutQueries, int n, double threshold)
    {
        ArgumentNullException.ThrowIfNull(heldOutQueries);
        _n = n;
        _threshold = threshold;
        if (n > 0)
        {
            foreach (var query in heldOutQueries)
            {
                _held.UnionWith(NGrams(query, n));
            }
        }
    }

    /// <summary>Whether any user turn of <paramref name="conversation"/> overlaps the held-out queries enough to go.</summary>
    public bool IsContaminated(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return _n > 0 && conversation.Messages.Any(m => m.Role == Role.User && Overlap(m.Content, _held, _n) >= _threshold);
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
    /// The share of <paramref name="text"/>'s n-grams found in <paramref name="held"/>, the same as counting
    /// <see cref="NGrams"/>, without a string per word or n-gram: the lower-cased words are laid out in one buffer
    /// separated by single spaces, so each n-gram is a slice looked up as a span.
    /// </summary>
    internal static double Overlap(string text, HashSet<string> held, int n)
    {
        var buffer = ArrayPool<char>.Shared.Rent(text.Length + 1);
        var ends = ArrayPool<int>.Shared.Rent((text.Length / 2) + 2);
        var starts = ArrayPool<int>.Shared.Rent((text.Length / 2) + 2);
        try
        {
            int length = 0, words = 0;
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
                        inWord = true;
                    }

                    buffer[length++] = char.ToLowerInvariant(c);
                }
                else if (inWord)
                {
                    ends[words++] = length;
                    inWord = false;
                }
            }

            if (inWord)
            {
                ends[words++] = length;
            }

            if (words == 0)
            {
                return 0;
            }

            var lookup = held.GetAlternateLookup<ReadOnlySpan<char>>();
            if (words < n)
            {
                return lookup.Contains(buffer.AsSpan(0, length)) ? 1 : 0;
            }

            int grams = words - n + 1, found = 0;
            for (int i = 0; i < grams; i++)
            {
                found += lookup.Contains(buffer.AsSpan(starts[i], ends[i + n - 1] - starts[i])) ? 1 : 0;
            }

            return (double)found / grams;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
            ArrayPool<int>.Shared.Return(ends);
            ArrayPool<int>.Shared.Return(starts);
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
}
