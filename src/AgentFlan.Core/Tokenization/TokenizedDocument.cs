using AgentFlan.Conversations;

namespace AgentFlan.Tokenization;

/// <summary>
/// A conversation rendered and tokenized, before capability weights: its token ids and, for every template
/// segment in order, the token range it produced, its capability and whether the template supervises it.
/// That is everything a weight change needs to recompute the loss mask (<see cref="Transforms.RenderPlan.Weigh(TokenizedDocument)"/>)
/// without rendering or tokenizing again, so it is the unit the samples stage caches
/// (<see cref="Caching.SampleStore"/>). The last token is the tokenizer's end-of-text id, outside every segment.
/// </summary>
/// <param name="Where">Where the conversation came from, for messages (<c>file(line)</c>, <c>file[index]</c> or the source name).</param>
public sealed record TokenizedDocument(string Id, ConversationKind Kind, string Source, string Where, int[] Tokens, DocumentSegment[] Segments)
{
    /// <summary>Its token count: that of <see cref="Tokens"/>, unless the ids were not read (<see cref="HasIds"/>).</summary>
    public int Length { get; init; } = Tokens.Length;

    /// <summary>
    /// False for a document read back without its ids (<see cref="Caching.SampleStore.OpenPart"/>): all it is read for is
    /// weighing and placing its loss mask in rows whose token ids are stored already.
    /// </summary>
    public bool HasIds => Tokens.Length == Length;

    public static string Locate(Provenance provenance) =>
        provenance.File is null ? provenance.Source
        : provenance.Line > 0 ? $"{provenance.File}({provenance.Line})"
        : $"{provenance.File}[{provenance.Index}]";
}
