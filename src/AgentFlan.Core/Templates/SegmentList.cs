using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AgentFlan.Conversations;

namespace AgentFlan.Templates;

/// <summary>
/// Collects template segments, joining a piece to the previous one when both have the same supervision and
/// capability: the mask is unchanged, and fewer forced token boundaries keep the tokenization natural.
/// The pieces of a segment are joined once, when the segment is closed (a long system turn with a tool list
/// is many pieces; joining them one by one copied the text again at every piece).
/// </summary>
internal sealed class SegmentList
{
    private readonly List<TemplateSegment> _segments = [];
    private readonly List<string> _open = [];
    private bool _supervised;
    private Capability _capability;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(string text, bool supervised, Capability capability = Capability.None)
    {
        if (text.Length == 0)
        {
            return;
        }

        // A segment outside the loss carries no capability: capability counts are of trainable tokens only.
        capability = supervised ? capability : Capability.None;
        if (_open.Count > 0 && (_supervised != supervised || _capability != capability))
        {
            Close();
        }

        _supervised = supervised;
        _capability = capability;
        _open.Add(text);
    }

    public void AddRange(IEnumerable<string> pieces, bool supervised, Capability capability = Capability.None)
    {
        foreach (var piece in pieces)
        {
            Add(piece, supervised, capability);
        }
    }

    /// <summary>The segments, once everything has been added.</summary>
    public IReadOnlyList<TemplateSegment> Complete()
    {
        Close();
        return _segments;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Close()
    {
        if (_open.Count == 0)
        {
            return;
        }

        var text = _open.Count == 1 ? _open[0] : string.Concat(CollectionsMarshal.AsSpan(_open));
        _segments.Add(new TemplateSegment(text, _supervised, _capability));
        _open.Clear();
    }
}
