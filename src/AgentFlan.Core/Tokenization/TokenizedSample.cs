using AgentFlan.Conversations;

namespace AgentFlan.Tokenization;

/// <summary>A rendered, tokenized sample: ids, the aligned loss mask (1 = supervised) and the per-token capability.</summary>
public sealed record TokenizedSample(string Id, ConversationKind Kind, int[] Tokens, byte[] Loss, Capability[] Capabilities)
{
    public int Length => Tokens.Length;

    private long _supervised = -1;

    /// <summary>The loss mask (1 = supervised), aligned with <see cref="Tokens"/>.</summary>
    public byte[] Loss
    {
        get;
        init
        {
            field = value;
            _supervised = -1;
        }
    } = Loss;

    /// <summary>How many tokens the loss mask supervises (counted once, on first use).</summary>
    public long SupervisedCount => _supervised >= 0 ? _supervised : _supervised = Loss.Length - System.MemoryExtensions.Count(Loss.AsSpan(), (byte)0);

    /// <summary>
    /// Token ranges truncation must not cut: each tool call (its name and its arguments). The tokenizer that
    /// renders the sample fills this from the template's segments; when it is null the ranges are derived
    /// from <see cref="Capabilities"/> (a maximal run of retrieval and understanding tokens is a tool call).
    /// </summary>
    public IReadOnlyList<TokenSpan>? ToolCalls { get; init; }

    /// <summary>The tool-call ranges, given or derived (see <see cref="ToolCalls"/>).</summary>
    public IReadOnlyList<TokenSpan> ToolCallSpans() => ToolCalls ?? TokenSpan.RunsOf(Capabilities, c => c is Capability.Retrieval or Capability.Understanding);
}
