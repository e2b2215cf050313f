using System.Globalization;
using System.Text;
using AgentFlan.Conversations;
using AgentFlan.Hashing;
using AgentFlan.Templates;

namespace AgentFlan.Transforms;

/// <summary>
/// Removes exact duplicates: two conversations are the same when their normalised content is (roles, text,
/// thoughts, calls and offered tool names; text in Unicode NFC, lower case, whitespace runs collapsed; ids and
/// provenance ignored). Of a group of duplicates the one with the smallest id (ordinal) stays, so the result
/// does not depend on input order.
/// </summary>
internal static class Deduplicator
{
    public static List<Conversation> Apply(IReadOnlyList<Conversation> conversations, SortedDictionary<string, long> removedBySource)
    {
        var keepers = new Dictionary<string, Conversation>(StringComparer.Ordinal);
        foreach (var conversation in conversations)
        {
            var key = Key(conversation);
            if (!keepers.TryGetValue(key, out var kept) || string.CompareOrdinal(conversation.Id, kept.Id) < 0)
            {
                keepers[key] = conversation;
            }
        }

        var kept2 = new HashSet<Conversation>(keepers.Values, ReferenceEqualityComparer.Instance);
        var result = new List<Conversation>(kept2.Count);
        foreach (var conversation in conversations)
        {
            if (kept2.Remove(conversation))
            {
                result.Add(conversation);
                continue;
            }

            var source = conversation.Provenance.Source;
            removedBySource[source] = removedBySource.GetValueOrDefault(source) + 1;
        }

        return result;
    }

    public static string Key(Conversation conversation)
    {
        var text = new StringBuilder();
        foreach (var name in conversation.Tools.Select(t => t.Name).Order(StringComparer.Ordinal))
        {
            text.Append("tool\u0001").Append(name).Append('\u0002');
        }

        foreach (var message in conversation.Messages)
        {
            text.Append(((int)message.Role).ToString(CultureInfo.InvariantCulture)).Append('\u0001');
            text.Append(Normalize(message.Thought)).Append('\u0001').Append(Normalize(message.Content));
            foreach (var call in message.ToolCalls)
            {
                text.Append('\u0001').Append(call.Name).Append(JsonText.Compact(call.Arguments));
            }

            text.Append('\u0002');
        }

        return ContentHash.OfText(text.ToString());
    }

    internal static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var normalized = text.Normalize(NormalizationForm.FormC).ToLowerInvariant();
        var result = new StringBuilder(normalized.Length);
        var space = false;
        foreach (var c in normalized)
        {
            if (char.IsWhiteSpace(c))
            {
                space = result.Length > 0;
                continue;
            }

            if (space)
            {
                result.Append(' ');
                space = false;
            }

            result.Append(c);
        }

        return result.ToString();
    }
}
