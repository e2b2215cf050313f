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

    internal static double Overlap(string text, HashSet<string> held, int n)
    {
        var grams = NGrams(text, n);
        return grams.Count == 0 ? 0 : (double)grams.Count(held.Contains) / grams.Count;
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
