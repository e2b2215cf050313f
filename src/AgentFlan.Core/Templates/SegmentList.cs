using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AgentFlan.Conversations;

namespace AgentFlan.Templates;

/// <summary>
/// Collects template segments, joining a piece to the previous one when both have the same supervision and
/// capability: the mask is unchanged, and fewer forced token boundaries keep the tokenization natural.
/// A segment keeps its pieces (a long system turn with a tool list is many); they are joined only if its text is
/// asked for (<see cref="TemplateSegment"/>).
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

        _segments.Add(_open.Count == 1 ? new TemplateSegment(_open[0], _supervised, _capability) : new TemplateSegment([.. _open], _supervised, _capability));
        _open.Clear();
    }
}
