using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
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

    /// <summary>
    /// SHA-256 of the normalised content, hashed as it is produced (no whole-conversation string): tool names in
    /// order, then per message its role, normalised thought and content, and its calls, with separators that keep
    /// the parts apart.
    /// </summary>
    public static string Key(Conversation conversation)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in conversation.Tools.Select(t => t.Name).Order(StringComparer.Ordinal))
        {
            Append(hash, "tool\u0001");
            Append(hash, name);
            Append(hash, "\u0002");
        }

        Span<char> role = stackalloc char[12];
        foreach (var message in conversation.Messages)
        {
            ((int)message.Role).TryFormat(role, out var written, provider: CultureInfo.InvariantCulture);
            Append(hash, role[..written]);
            Append(hash, "\u0001");
            AppendNormalized(hash, message.Thought);
            Append(hash, "\u0001");
            AppendNormalized(hash, message.Content);
            foreach (var call in message.ToolCalls)
            {
                Append(hash, "\u0001");
                Append(hash, call.Name);
                Append(hash, JsonText.Compact(call.Arguments));
            }

            Append(hash, "\u0002");
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    internal static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var buffer = new char[text.Length * 2];
        return new string(Normalize(text, buffer));
    }

    private static void AppendNormalized(IncrementalHash hash, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var buffer = ArrayPool<char>.Shared.Rent(text.Length * 2);
        try
        {
            Append(hash, Normalize(text, buffer));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>NFC, invariant lower case, whitespace runs collapsed to one space and trimmed, into <paramref name="buffer"/>.</summary>
    private static ReadOnlySpan<char> Normalize(string text, char[] buffer)
    {
        var composed = text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        if (composed.Length > buffer.Length)
        {
            buffer = new char[composed.Length];
        }

        int lowered = composed.AsSpan().ToLowerInvariant(buffer);
        int length = 0;
        var space = false;
        for (int i = 0; i < lowered; i++)
        {
            var c = buffer[i];
            if (char.IsWhiteSpace(c))
            {
                space = length > 0;
                continue;
            }

            if (space)
            {
                buffer[length++] = ' ';
                space = false;
            }

            buffer[length++] = c;
        }

        return buffer.AsSpan(0, length);
    }

    /// <summary>Appends the UTF-8 bytes of <paramref name="text"/> (the key is the SHA-256 of the normalised text in UTF-8).</summary>
    private static void Append(IncrementalHash hash, ReadOnlySpan<char> text)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            hash.AppendData(bytes, 0, Encoding.UTF8.GetBytes(text, bytes));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
