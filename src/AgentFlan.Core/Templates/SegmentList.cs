using AgentFlan.Conversations;

namespace AgentFlan.Templates;

/// <summary>
/// Collects template segments, joining a piece to the previous one when both have the same supervision and
/// capability: the mask is unchanged, and fewer forced token boundaries keep the tokenization natural.
/// </summary>
internal sealed class SegmentList
{
    private readonly List<TemplateSegment> _segments = [];

    public IReadOnlyList<TemplateSegment> Segments => _segments;

    public void Add(string text, bool supervised, Capability capability = Capability.None)
    {
        if (text.Length == 0)
        {
            return;
        }

        // A segment outside the loss carries no capability: capability counts are of trainable tokens only.
        capability = supervised ? capability : Capability.None;
        if (_segments.Count > 0 && _segments[^1] is { } last && last.Supervised == supervised && last.Capability == capability)
        {
            _segments[^1] = last with { Text = last.Text + text };
            return;
        }

        _segments.Add(new TemplateSegment(text, supervised, capability));
    }
}
