using System.Text;
using AgentFlan.Conversations;

namespace AgentFlan.Transforms;

/// <summary>
/// Judges whether an offered tool is irrelevant to a conversation: it is when the tool's content words (its
/// name split at underscores and case changes, its description, its parameter names and descriptions) share no
/// word with the conversation's content words (every user and assistant text). A content word is a run of
/// letters or digits, lower-cased, at least three characters, not a stop word, with a crude plural/verb suffix
/// removed (<c>-ies</c>→<c>-y</c>, <c>-es</c> after ch/sh/x, <c>-s</c>, <c>-ing</c>, <c>-ed</c>), so "files" meets "file" and
/// "booking" meets "book". No overlap at all is a strict rule: it leaves some truly unrelated tools out, never
/// lets a related one in.
/// </summary>
public static class ToolRelevance
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "with", "from", "that", "this", "these", "those", "your", "you", "are", "was", "were",
        "can", "could", "would", "should", "will", "what", "which", "who", "whom", "how", "why", "when", "where",
        "have", "has", "had", "not", "but", "all", "any", "some", "one", "two", "our", "out", "into", "onto",
        "about", "than", "then", "them", "they", "their", "there", "here", "its", "it's", "get", "give", "make",
        "let", "use", "using", "used", "also", "just", "like", "more", "most", "much", "many", "such", "each",
        "other", "own", "same", "very", "too", "yes", "did", "does", "doing", "done", "been", "being", "may",
        "might", "must", "shall", "need", "want", "please", "thanks", "thank", "hello", "tell", "know", "good",
        "new", "way", "well", "over", "under", "only", "both", "either", "whether", "string", "number",
        "integer", "boolean", "object", "array", "optional", "required", "default", "type", "value", "name",
    };

    public static bool IsIrrelevant(ToolSpec tool, IReadOnlySet<string> conversationWords) =>
        !ToolWords(tool).Overlaps(conversationWords);

    public static HashSet<string> ConversationWords(Conversation conversation)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in conversation.Messages.Where(m => m.Role is Role.User or Role.Assistant or Role.System))
        {
            AddWords(message.Content, words);
            AddWords(message.Thought, words);
        }

        return words;
    }

    public static HashSet<string> ToolWords(ToolSpec tool)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        AddWords(tool.Name, words);
        AddWords(tool.Description, words);
        if (tool.Parameters["properties"] is System.Text.Json.Nodes.JsonObject properties)
        {
            foreach (var (name, schema) in properties)
            {
                AddWords(name, words);
                AddWords(schema?["description"]?.ToString(), words);
            }
        }

        return words;
    }

    public static void AddWords(string? text, HashSet<string> words)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var word = new StringBuilder();
        for (int i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            var boundary = !char.IsLetterOrDigit(c) || (char.IsUpper(c) && i > 0 && char.IsLower(text[i - 1]));
            if (boundary && word.Length > 0)
            {
                Add(word.ToString(), words);
                word.Clear();
            }

            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
        }
    }

    private static void Add(string word, HashSet<string> words)
    {
        if (word.Length < 3 || StopWords.Contains(word))
        {
            return;
        }

        words.Add(Stem(word));
    }

    internal static string Stem(string word) =>
        word.Length > 4 && word.EndsWith("ies", StringComparison.Ordinal) ? word[..^3] + "y"
        : word.Length > 5 && word.EndsWith("ing", StringComparison.Ordinal) ? word[..^3]
        : word.Length > 4 && word.EndsWith("ed", StringComparison.Ordinal) ? word[..^2]
        : word.Length > 4 && (word.EndsWith("ches", StringComparison.Ordinal) || word.EndsWith("shes", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal)) ? word[..^2]
        : word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1]
        : word;
}
