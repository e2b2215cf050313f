using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
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
    public static string Key(Conversation conversation) => Convert.ToHexStringLower(Fill(conversation).Sha256());

    /// <summary>The content <see cref="Key"/> hashes, as a 128-bit XXH128 digest: what the compile groups duplicates by.</summary>
    public static Digest128 Fingerprint(Conversation conversation) => Fill(conversation).Digest();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static KeyBuffer Fill(Conversation conversation)
    {
        var key = KeyBuffer.Start();
        foreach (var name in conversation.Tools.Select(t => t.Name).Order(StringComparer.Ordinal))
        {
            key.Add("tool\u0001");
            key.Add(name);
            key.Add("\u0002");
        }

        Span<char> role = stackalloc char[12];
        foreach (var message in conversation.Messages)
        {
            ((int)message.Role).TryFormat(role, out var written, provider: CultureInfo.InvariantCulture);
            key.Add(role[..written]);
            key.Add("\u0001");
            AddNormalized(key, message.Thought);
            key.Add("\u0001");
            AddNormalized(key, message.Content);
            foreach (var call in message.ToolCalls)
            {
                key.Add("\u0001");
                key.Add(call.Name);
                key.Add(JsonText.Compact(call.Arguments));
            }

            key.Add("\u0002");
        }

        return key;
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

    private static void AddNormalized(KeyBuffer key, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var buffer = ArrayPool<char>.Shared.Rent(text.Length * 2);
        try
        {
            key.Add(Normalize(text, buffer));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>NFC, invariant lower case, whitespace runs collapsed to one space and trimmed, into <paramref name="buffer"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
}
