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
    public int Length => Tokens.Length;

    public static string Locate(Provenance provenance) =>
        provenance.File is null ? provenance.Source
        : provenance.Line > 0 ? $"{provenance.File}({provenance.Line})"
        : $"{provenance.File}[{provenance.Index}]";
}
