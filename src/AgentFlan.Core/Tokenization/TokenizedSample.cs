using AgentFlan.Conversations;

namespace AgentFlan.Tokenization;

/// <summary>A rendered, tokenized sample: ids, the aligned loss mask (1 = supervised) and the per-token capability.</summary>
public sealed record TokenizedSample(string Id, ConversationKind Kind, int[] Tokens, byte[] Loss, Capability[] Capabilities)
{
    public int Length => Tokens.Length;

    public long SupervisedCount
    {
        get
        {
            long count = 0;
            foreach (var b in Loss)
            {
                count += b != 0 ? 1 : 0;
            }

            return count;
        }
    }

    /// <summary>
    /// Token ranges truncation must not cut: each tool call (its name and its arguments). The tokenizer that
    /// renders the sample fills this from the template's segments; when it is null the ranges are derived
    /// from <see cref="Capabilities"/> (a maximal run of retrieval and understanding tokens is a tool call).
    /// </summary>
    public IReadOnlyList<TokenSpan>? ToolCalls { get; init; }

    /// <summary>The tool-call ranges, given or derived (see <see cref="ToolCalls"/>).</summary>
    public IReadOnlyList<TokenSpan> ToolCallSpans() => ToolCalls ?? TokenSpan.RunsOf(Capabilities, c => c is Capability.Retrieval or Capability.Understanding);
}
