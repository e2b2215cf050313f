using AgentFlan.Conversations;

namespace AgentFlan.Tokenization;

/// <summary>A rendered, tokenized sample: ids, the aligned loss mask (1 = supervised) and the per-token capability.</summary>
public sealed record TokenizedSample(string Id, ConversationKind Kind, int[] Tokens, byte[] Loss, Capability[] Capabilities)
{
    public int Length => Tokens.Length;

    public long SupervisedCount => Loss.Count(b => b != 0);
}
