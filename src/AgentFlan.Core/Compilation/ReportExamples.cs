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

/// <summary>
/// The conversations the report may show, gathered where conversations still exist (before tokenization, or
/// in the samples stage's summary): the first few of each kind, with and without a tool call, and the first few
/// overall. The compile marks those whose sample was written; <see cref="Chosen"/> offers exactly those, in
/// input order, to <see cref="ReportExamples"/>.
/// </summary>
public sealed class ExampleCandidates
{
    private const int PerGroup = 8;

    private readonly List<Conversation> _candidates = [];
    private readonly Dictionary<(ConversationKind, bool), int> _perGroup = [];
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    public ExampleCandidates(IEnumerable<Conversation>? candidates = null)
    {
        foreach (var conversation in candidates ?? [])
        {
            Add(conversation);
        }
    }

    /// <summary>Every candidate, in input order (what the samples stage stores).</summary>
    public IReadOnlyList<Conversation> All => _candidates;

    public void Offer(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var group = (conversation.Kind, conversation.Messages.Any(m => m.ToolCalls.Count > 0));
        var count = _perGroup.GetValueOrDefault(group);
        if (count < PerGroup || _candidates.Count < PerGroup)
        {
            _perGroup[group] = count + 1;
            Add(conversation);
        }
    }

    /// <summary>Records that the sample of <paramref name="id"/> was written to the shards.</summary>
    public void Written(string id)
    {
        if (_ids.Contains(id))
        {
            _written.Add(id);
        }
    }

    public IReadOnlyList<Conversation> Chosen()
    {
        var examples = new ReportExamples();
        foreach (var conversation in _candidates.Where(c => _written.Contains(c.Id)))
        {
            examples.Offer(conversation);
        }

        return examples.Chosen();
    }

    private void Add(Conversation conversation)
    {
        if (_ids.Add(conversation.Id))
        {
            _candidates.Add(conversation);
        }
    }
}
