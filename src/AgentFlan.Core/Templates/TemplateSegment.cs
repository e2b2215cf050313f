using AgentFlan.Conversations;

namespace AgentFlan.Templates;

/// <summary>
/// A piece of rendered text and whether the model is trained to produce it. The loss mask is exactly the
/// union of supervised segments: it is computed from this structure, never by re-rendering and diffing.
/// A segment the template built from several pieces keeps them and joins them into <see cref="Text"/> only when
/// asked: the compile encodes it from a reused buffer (<see cref="CopyTo"/>), so rendering allocates no joined
/// string per segment (it was most of what rendering allocated).
/// </summary>
public sealed record TemplateSegment
{
    private readonly string[]? _pieces;
    private string? _text;

    public TemplateSegment(string text, bool supervised, Capability capability = Capability.None)
    {
        ArgumentNullException.ThrowIfNull(text);
        _text = text;
        Length = text.Length;
        Supervised = supervised;
        Capability = capability;
    }

    /// <summary>A segment of several pieces, in order (at least two), joined only on demand.</summary>
    internal TemplateSegment(string[] pieces, bool supervised, Capability capability)
    {
        _pieces = pieces;
        Length = pieces.Sum(p => p.Length);
        Supervised = supervised;
        Capability = capability;
    }

    public string Text => _text ??= string.Concat(_pieces!);

    /// <summary>Characters in <see cref="Text"/>.</summary>
    public int Length { get; }

    public bool Supervised { get; init; }

    public Capability Capability { get; init; }

    /// <summary>Writes the text into <paramref name="destination"/> (at least <see cref="Length"/> long) without joining it.</summary>
    public void CopyTo(Span<char> destination)
    {
        if (_text is not null)
        {
            _text.CopyTo(destination);
            return;
        }

        foreach (var piece in _pieces!)
        {
            piece.CopyTo(destination);
            destination = destination[piece.Length..];
        }
    }

    public bool Equals(TemplateSegment? other) =>
        other is not null && Supervised == other.Supervised && Capability == other.Capability && Length == other.Length && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Text, Supervised, Capability);

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Text = ").Append(Text).Append(", Supervised = ").Append(Supervised).Append(", Capability = ").Append(Capability);
        return true;
    }
}
