using AgentFlan.Conversations;

namespace AgentFlan.Compilation;

/// <summary>
/// Picks the report's rendered examples while the compile streams: up to three, one per kind where the data has
/// several kinds (ReAct, agent chat, negative, format-following, general, in that order of preference; an agent
/// example that calls a tool is preferred), then the first samples of the data to make up three. Only
/// conversations offered (samples actually written) can be chosen; the choice depends on input order only.
/// </summary>
public sealed class ReportExamples
{
    public const int Count = 3;

    private static readonly ConversationKind[] Preference =
        [ConversationKind.AgentReact, ConversationKind.AgentChat, ConversationKind.Negative, ConversationKind.FormatFollowing, ConversationKind.General];

    private readonly Dictionary<ConversationKind, Conversation> _byKind = [];
    private readonly List<Conversation> _first = [];

    public void Offer(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (_first.Count < Count)
        {
            _first.Add(conversation);
        }

        if (!_byKind.TryGetValue(conversation.Kind, out var kept) || (!CallsTool(kept) && CallsTool(conversation) && IsAgent(conversation.Kind)))
        {
            _byKind[conversation.Kind] = conversation;
        }
    }

    /// <summary>The examples, in report order.</summary>
    public IReadOnlyList<Conversation> Chosen()
    {
        var chosen = Preference.Where(_byKind.ContainsKey).Select(k => _byKind[k]).Take(Count).ToList();
        chosen.AddRange(_first.Where(c => !chosen.Any(x => ReferenceEquals(x, c))).Take(Count - chosen.Count));
        return chosen;
    }

    private static bool IsAgent(ConversationKind kind) => kind is ConversationKind.AgentChat or ConversationKind.AgentReact;

    private static bool CallsTool(Conversation conversation) => conversation.Messages.Any(m => m.ToolCalls.Count > 0);
}
