using AgentFlan.Conversations;

namespace AgentFlan.Compilation;

/// <summary>
/// The conversations the report may show, gathered where conversations still exist (before tokenization, or
/// in the samples stage's summary): the first few of each kind, with and without a tool call, and the first few
/// overall. The compile marks those whose sample was written; <see cref="Chosen()"/> offers exactly those, in
/// input order, to <see cref="ReportExamples"/>. A compile keeps one set per segment (a source's conversations, or
/// the built samples), so a segment taken from the packed stage brings its own; <see cref="Chosen(IEnumerable{ExampleCandidates})"/>
/// offers the segments' candidates again in order, which picks exactly what one set over every conversation picks:
/// a conversation its segment passed over had 8 of its group and 8 in all before it there, so the whole stream
/// had at least as many.
/// </summary>
public sealed class ExampleCandidates
{
    private const int PerGroup = 8;

    private readonly List<Conversation> _candidates = [];
    private readonly Dictionary<(ConversationKind, bool), int> _perGroup = [];
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    public ExampleCandidates(IEnumerable<Conversation>? candidates = null, IEnumerable<string>? written = null)
    {
        foreach (var conversation in candidates ?? [])
        {
            Add(conversation);
        }

        foreach (var id in written ?? [])
        {
            Written(id);
        }
    }

    /// <summary>Every candidate, in input order (what the samples stage stores).</summary>
    public IReadOnlyList<Conversation> All => _candidates;

    /// <summary>The candidates whose sample was written, in input order.</summary>
    public IReadOnlyList<string> WrittenIds => [.. _candidates.Select(c => c.Id).Where(_written.Contains)];

    /// <summary>What one set offered every conversation of <paramref name="segments"/>, in order, would choose.</summary>
    public static IReadOnlyList<Conversation> Chosen(IEnumerable<ExampleCandidates> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var all = new ExampleCandidates();
        var written = new List<string>();
        foreach (var segment in segments)
        {
            foreach (var conversation in segment._candidates)
            {
                all.Offer(conversation);
            }

            written.AddRange(segment._written);
        }

        foreach (var id in written)
        {
            all.Written(id);
        }

        return all.Chosen();
    }

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
